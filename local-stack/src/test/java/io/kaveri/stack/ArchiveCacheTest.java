package io.kaveri.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveCacheTest {

    private static final String FIX = "run ./mvnw -B -DskipTests package";

    @TempDir
    Path tmp;

    @Test
    void unpacksOnceAndReusesTheCache() throws IOException {
        Path zip = zip(tmp.resolve("app.zip"), Map.of("app.jar", "runner", "lib/a.jar", "aaaa", "lib/b.jar", "bb"));
        Path cache = tmp.resolve("cache");

        Path first = ArchiveCache.unpackOnce(ArchiveCache.Archive.zip("registry", zip, FIX), cache, "app-1");
        Object inode = fileKey(first);
        Path second = ArchiveCache.unpackOnce(ArchiveCache.Archive.zip("registry", zip, FIX), cache, "app-1");

        assertThat(second).isEqualTo(cache.resolve("app-1"));
        assertThat(second.resolve("lib/a.jar")).hasContent("aaaa");
        assertThat(fileKey(second)).as("the same directory, not a second unpack").isEqualTo(inode);
        ArchiveCache.Content marker = ArchiveCache.cachedContent(second);
        assertThat(marker.files()).isEqualTo(3);
        assertThat(marker.bytes()).isEqualTo("runner".length() + 4 + 2);
        assertThat(marker.archiveBytes()).isEqualTo(Files.size(zip));
        assertThat(marker.sha1()).hasSize(40);
        assertThat(cache).isDirectoryNotContaining("glob:**/app-1.tmp-*");
    }

    @Test
    void tarXzKeepsExecutableModesAndSymbolicLinks() throws IOException {
        Path txz = tarXz(tmp.resolve("pg.txz"));

        Path dir = ArchiveCache.unpackOnce(ArchiveCache.Archive.tarXz("postgres", txz.toUri().toURL(), FIX),
                tmp.resolve("cache"), "pg");

        assertThat(Files.getPosixFilePermissions(dir.resolve("bin/postgres")))
                .contains(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
        assertThat(Files.getPosixFilePermissions(dir.resolve("share/readme.txt")))
                .doesNotContain(PosixFilePermission.OWNER_EXECUTE);
        assertThat(Files.getPosixFilePermissions(dir)).as("readable by other users")
                .contains(PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE);
        assertThat(Files.isSymbolicLink(dir.resolve("lib/libpq.so"))).isTrue();
        assertThat(dir.resolve("lib/libpq.so")).hasContent("library");
    }

    @Test
    void aDeletedFileInTheCacheIsDetectedAndUnpackedAgain() throws IOException {
        Path zip = zip(tmp.resolve("app.zip"), Map.of("app.jar", "runner", "lib/a.jar", "aaaa"));
        Path cache = tmp.resolve("cache");
        Path dir = ArchiveCache.unpackOnce(ArchiveCache.Archive.zip("registry", zip, FIX), cache, "app-1");
        Files.delete(dir.resolve("lib/a.jar"));

        ArchiveCache.unpackOnce(ArchiveCache.Archive.zip("registry", zip, FIX), cache, "app-1");

        assertThat(dir.resolve("lib/a.jar")).hasContent("aaaa");
    }

    @Test
    void aTruncatedFileInTheCacheIsDetectedAndUnpackedAgain() throws IOException {
        Path zip = zip(tmp.resolve("app.zip"), Map.of("app.jar", "runner"));
        Path cache = tmp.resolve("cache");
        Path dir = ArchiveCache.unpackOnce(ArchiveCache.Archive.zip("registry", zip, FIX), cache, "app-1");
        Files.writeString(dir.resolve("app.jar"), "run");

        ArchiveCache.unpackOnce(ArchiveCache.Archive.zip("registry", zip, FIX), cache, "app-1");

        assertThat(dir.resolve("app.jar")).hasContent("runner");
    }

    @Test
    void aHalfUnpackWithoutMarkerAndTheLeftoversOfACrashAreReplaced() throws IOException {
        Path zip = zip(tmp.resolve("app.zip"), Map.of("app.jar", "runner", "lib/a.jar", "aaaa"));
        Path cache = tmp.resolve("cache");
        Files.createDirectories(cache.resolve("app-1/lib"));
        Files.writeString(cache.resolve("app-1/app.jar"), "runner");
        Files.createDirectories(cache.resolve("app-1.tmp-12345/lib"));

        Path dir = ArchiveCache.unpackOnce(ArchiveCache.Archive.zip("registry", zip, FIX), cache, "app-1");

        assertThat(dir.resolve("lib/a.jar")).hasContent("aaaa");
        assertThat(ArchiveCache.cachedContent(dir)).isNotNull();
        assertThat(cache.resolve("app-1.tmp-12345")).doesNotExist();
    }

    @Test
    void aChangedArchiveIsUnpackedAgain() throws IOException {
        Path cache = tmp.resolve("cache");
        Path zip = zip(tmp.resolve("app.zip"), Map.of("app.jar", "old!"));
        ArchiveCache.unpackOnce(ArchiveCache.Archive.zip("registry", zip, FIX), cache, "app-1");
        FileTime before = Files.getLastModifiedTime(zip);
        zip(zip, Map.of("app.jar", "new!"));
        Files.setLastModifiedTime(zip, FileTime.fromMillis(before.toMillis() + 5_000));

        Path dir = ArchiveCache.unpackOnce(ArchiveCache.Archive.zip("registry", zip, FIX), cache, "app-1");

        assertThat(dir.resolve("app.jar")).hasContent("new!");
    }

    @Test
    void aTouchedButIdenticalArchiveKeepsTheCacheAndUpdatesTheMarker() throws IOException {
        Path zip = zip(tmp.resolve("app.zip"), Map.of("app.jar", "runner"));
        Path cache = tmp.resolve("cache");
        Path dir = ArchiveCache.unpackOnce(ArchiveCache.Archive.zip("registry", zip, FIX), cache, "app-1");
        Object inode = fileKey(dir);
        Files.setLastModifiedTime(zip, FileTime.fromMillis(Files.getLastModifiedTime(zip).toMillis() + 5_000));

        ArchiveCache.unpackOnce(ArchiveCache.Archive.zip("registry", zip, FIX), cache, "app-1");

        assertThat(fileKey(dir)).isEqualTo(inode);
        assertThat(ArchiveCache.cachedContent(dir).stamp())
                .isEqualTo(Files.size(zip) + ":" + Files.getLastModifiedTime(zip).toMillis());
    }

    @Test
    void anUnchangedStampSparesHashingTheArchive() throws IOException {
        Path zip = zip(tmp.resolve("app.zip"), Map.of("app.jar", "runner"));
        Path cache = tmp.resolve("cache");
        ArchiveCache.unpackOnce(ArchiveCache.Archive.zip("registry", zip, FIX), cache, "app-1");
        FileTime stamp = Files.getLastModifiedTime(zip);
        byte[] sameSize = new byte[(int) Files.size(zip)];
        Files.write(zip, sameSize);
        Files.setLastModifiedTime(zip, stamp);

        Path dir = ArchiveCache.unpackOnce(ArchiveCache.Archive.zip("registry", zip, FIX), cache, "app-1");

        assertThat(dir.resolve("app.jar")).as("an unread archive cannot be found corrupt").hasContent("runner");
    }

    @Test
    void aCorruptZipIsNamedWithItsFix() throws IOException {
        Path zip = tmp.resolve("broken.zip");
        byte[] noise = new byte[4096];
        Arrays.fill(noise, (byte) 7);
        Files.write(zip, noise);
        Path cache = tmp.resolve("cache");

        assertThatThrownBy(() -> ArchiveCache.unpackOnce(ArchiveCache.Archive.zip("registry", zip, FIX), cache, "app"))
                .isInstanceOf(StackStartException.class)
                .hasMessageStartingWith("registry: archive " + zip + " is corrupt")
                .hasMessageEndingWith(FIX);
        assertThat(cache.resolve("app")).doesNotExist();
        assertThat(cache).isDirectoryNotContaining("glob:**/app.tmp-*");
    }

    @Test
    void aTruncatedTarXzIsNamedWithItsFix() throws IOException {
        Path txz = tarXz(tmp.resolve("pg.txz"));
        byte[] whole = Files.readAllBytes(txz);
        Files.write(txz, Arrays.copyOf(whole, whole.length / 2));

        assertThatThrownBy(() -> ArchiveCache.unpackOnce(ArchiveCache.Archive.tarXz("postgres", txz.toUri().toURL(),
                FIX), tmp.resolve("cache"), "pg"))
                .isInstanceOf(StackStartException.class)
                .hasMessageContaining("postgres: archive " + txz.toUri().toURL() + " is corrupt")
                .hasMessageEndingWith(FIX);
        assertThat(tmp.resolve("cache/pg")).doesNotExist();
    }

    @Test
    void anEntryEscapingTheDirectoryIsRefused() throws IOException {
        Path zip = zip(tmp.resolve("evil.zip"), Map.of("../../escaped.txt", "x"));

        assertThatThrownBy(() -> ArchiveCache.unpackOnce(ArchiveCache.Archive.zip("registry", zip, FIX),
                tmp.resolve("cache"), "app"))
                .isInstanceOf(StackStartException.class)
                .hasMessageContaining("entry ../../escaped.txt points outside the archive");
        assertThat(tmp.resolve("escaped.txt")).doesNotExist();
    }

    @Test
    void aMissingArchiveIsNamedWithItsFix() {
        Path zip = tmp.resolve("absent.zip");

        assertThatThrownBy(() -> ArchiveCache.unpackOnce(ArchiveCache.Archive.zip("registry", zip, FIX),
                tmp.resolve("cache"), "app"))
                .isInstanceOf(StackStartException.class)
                .hasMessage("registry: archive " + zip + " does not exist: " + FIX);
    }

    @Test
    void aCacheDirectoryThatCannotBeCreatedIsNamed() throws IOException {
        Path zip = zip(tmp.resolve("app.zip"), Map.of("app.jar", "runner"));
        Path notADirectory = Files.writeString(tmp.resolve("file"), "x");

        assertThatThrownBy(() -> ArchiveCache.unpackOnce(ArchiveCache.Archive.zip("registry", zip, FIX),
                notADirectory.resolve("cache"), "app"))
                .isInstanceOf(StackStartException.class)
                .hasMessageContaining("cannot unpack " + zip + " into " + notADirectory.resolve("cache"))
                .hasMessageEndingWith("choose a writable cache directory with free space");
    }

    private static Object fileKey(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    }

    private static Path zip(Path file, Map<String, String> entries) throws IOException {
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(file)) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                out.putArchiveEntry(new ZipArchiveEntry(entry.getKey()));
                out.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeArchiveEntry();
            }
        }
        return file;
    }

    private static Path tarXz(Path file) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
                TarArchiveOutputStream out = new TarArchiveOutputStream(new XZCompressorOutputStream(raw))) {
            add(out, "bin/postgres", "#!/bin/sh\n", 0755);
            add(out, "share/readme.txt", "text", 0644);
            add(out, "lib/libpq.so.5.17", "library", 0644);
            TarArchiveEntry link = new TarArchiveEntry("lib/libpq.so", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("libpq.so.5.17");
            out.putArchiveEntry(link);
            out.closeArchiveEntry();
        }
        return file;
    }

    private static void add(TarArchiveOutputStream out, String name, String content, int mode) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        entry.setMode(mode);
        out.putArchiveEntry(entry);
        out.write(bytes);
        out.closeArchiveEntry();
    }
}
