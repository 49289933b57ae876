package io.kaveri.stack;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URL;
import java.net.URLConnection;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unpacks an archive once into a cache directory and reuses it. The unpack goes to a temporary directory
 * that is renamed into place only when complete, with a marker recording the archive's SHA-1 and size and
 * the unpacked files' count and bytes: a half-unpacked or damaged cache is detected and unpacked again.
 */
final class ArchiveCache {

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveCache.class);
    static final String MARKER = ".kaveri-unpacked";

    enum Format { ZIP, TAR_XZ }

    /** An archive to unpack, where it comes from, and what a user does when it is broken. */
    record Archive(String component, String description, Format format, IoSupplier<InputStream> opener,
            IoSupplier<String> stamper, String fix) {

        static Archive zip(String component, Path file, String fix) {
            return new Archive(component, file.toString(), Format.ZIP, () -> Files.newInputStream(file),
                    () -> Files.size(file) + ":" + Files.getLastModifiedTime(file).toMillis(), fix);
        }

        static Archive tarXz(String component, URL resource, String fix) {
            return new Archive(component, resource.toString(), Format.TAR_XZ, resource::openStream, () -> {
                URLConnection connection = resource.openConnection();
                return connection.getContentLengthLong() + ":" + connection.getLastModified();
            }, fix);
        }
    }

    @FunctionalInterface
    interface IoSupplier<T> {
        T get() throws IOException;
    }

    /**
     * What the marker records. The stamp (size and modification time) spares hashing an unchanged archive
     * on every start (over half a second for the registry's); the SHA-1 decides when the stamp changed.
     */
    record Content(String sha1, long archiveBytes, String stamp, long files, long bytes) {
    }

    private record Archived(String sha1, long size, String stamp) {
    }

    private record Tree(long files, long bytes) {
    }

    private ArchiveCache() {
    }

    /**
     * The directory {@code cacheDir/dirName} holding the archive's content, unpacking it first if needed.
     * Synchronized because a file lock guards against other JVMs only; a cache hit takes milliseconds.
     */
    static synchronized Path unpackOnce(Archive archive, Path cacheDir, String dirName) {
        Path target = cacheDir.resolve(dirName);
        try {
            Files.createDirectories(cacheDir);
        } catch (IOException e) {
            throw notWritable(archive, cacheDir, e);
        }
        // The lock serializes JVMs sharing the cache (two builds, the demo beside the tests).
        try (FileChannel lockFile = FileChannel.open(cacheDir.resolve(dirName + ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
                FileLock lock = lockFile.lock()) {
            String stamp = stamp(archive);
            Content cached = cachedContent(target);
            Archived archived = cached != null && cached.stamp().equals(stamp)
                    ? new Archived(cached.sha1(), cached.archiveBytes(), stamp) : identify(archive, stamp);
            if (cached != null && cached.sha1().equals(archived.sha1()) && cached.archiveBytes() == archived.size()) {
                Tree onDisk = measure(target);
                if (onDisk.files() == cached.files() && onDisk.bytes() == cached.bytes()) {
                    if (!cached.stamp().equals(stamp)) {
                        writeMarker(target.resolve(MARKER), archive, content(archived, onDisk));
                    }
                    makeReadable(target);
                    return target;
                }
                LOG.warn("component={} event=cache-damaged dir={} expected={} found={}", archive.component(), target,
                        cached, onDisk);
            } else if (Files.exists(target)) {
                LOG.warn("component={} event=cache-stale dir={} reason={}", archive.component(), target,
                        cached == null ? "no complete unpack marker" : "archive changed");
            }
            deleteLeftovers(cacheDir, dirName);
            unpackInto(archive, archived, cacheDir, dirName, target);
            return target;
        } catch (IOException e) {
            throw notWritable(archive, cacheDir, e);
        }
    }

    private static void unpackInto(Archive archive, Archived archived, Path cacheDir, String dirName, Path target)
            throws IOException {
        long started = System.nanoTime();
        Path temp = Files.createTempDirectory(cacheDir, dirName + ".tmp-");
        try {
            extract(archive, temp);
        } catch (WriteFailure e) {
            deleteTree(temp);
            throw (IOException) e.getCause();
        } catch (IOException | RuntimeException e) {
            // Whatever breaks while reading (bad header, bad checksum, early end) means the archive is damaged.
            deleteTree(temp);
            throw corrupt(archive, e);
        }
        Content content = content(archived, measure(temp));
        if (content.files() == 0) {
            deleteTree(temp);
            throw corrupt(archive, new IOException("it holds no files"));
        }
        writeMarker(temp.resolve(MARKER), archive, content);
        makeReadable(temp);
        if (Files.exists(target)) {
            Path stale = Files.createTempDirectory(cacheDir, dirName + ".stale-");
            Files.move(target, stale.resolve("old"), StandardCopyOption.ATOMIC_MOVE);
            deleteTree(stale);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        LOG.info("component={} event=unpacked archive={} dir={} files={} ms={}", archive.component(),
                archive.description(), target, content.files(), (System.nanoTime() - started) / 1_000_000);
    }

    private static void extract(Archive archive, Path into) throws IOException {
        try (InputStream raw = new BufferedInputStream(archive.opener().get(), 1 << 16);
                ArchiveInputStream<? extends ArchiveEntry> entries = archive.format() == Format.ZIP
                        ? new ZipArchiveInputStream(raw, "UTF-8", true, true)
                        : new TarArchiveInputStream(new XZCompressorInputStream(raw))) {
            byte[] buffer = new byte[1 << 16];
            ArchiveEntry entry;
            while ((entry = entries.getNextEntry()) != null) {
                Path path = inside(into, entry.getName());
                if (entry.isDirectory()) {
                    writing(() -> Files.createDirectories(path));
                    continue;
                }
                writing(() -> Files.createDirectories(path.getParent()));
                if (entry instanceof TarArchiveEntry tar && tar.isSymbolicLink()) {
                    inside(into, path.getParent().resolve(tar.getLinkName()).toString());
                    writing(() -> Files.createSymbolicLink(path, Path.of(tar.getLinkName())));
                } else if (entry instanceof TarArchiveEntry tar && tar.isLink()) {
                    Path existing = inside(into, tar.getLinkName());
                    writing(() -> Files.createLink(path, existing));
                } else {
                    copy(entries, path, buffer);
                    if (entry instanceof TarArchiveEntry tar) {
                        writing(() -> setMode(path, tar.getMode()));
                    }
                }
            }
        }
    }

    /** Copies an entry, telling a failing write (the cache's fault) from a failing read (the archive's). */
    private static void copy(InputStream in, Path path, byte[] buffer) throws IOException {
        OutputStream[] out = new OutputStream[1];
        writing(() -> out[0] = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW));
        try {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                int length = read;
                writing(() -> out[0].write(buffer, 0, length));
            }
        } finally {
            writing(out[0]::close);
        }
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    /** An I/O failure writing into the cache, as opposed to reading the archive. */
    private static final class WriteFailure extends IOException {
        WriteFailure(IOException cause) {
            super(cause.toString(), cause);
        }
    }

    private static void writing(IoAction action) throws WriteFailure {
        try {
            action.run();
        } catch (IOException e) {
            throw new WriteFailure(e);
        }
    }

    /**
     * A temporary directory is private (0700), but the unpack must be readable by the user PostgreSQL may
     * run as when this JVM is root.
     */
    private static void makeReadable(Path dir) throws IOException {
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** Resolves an entry name, refusing names that would land outside the unpack directory. */
    private static Path inside(Path root, String name) throws ZipException {
        Path resolved = root.resolve(name).normalize();
        if (!resolved.startsWith(root)) {
            throw new ZipException("entry " + name + " points outside the archive");
        }
        return resolved;
    }

    /** Keeps the archive's file modes: PostgreSQL's binaries must stay executable. */
    private static void setMode(Path path, int mode) throws IOException {
        if (!path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        PosixFilePermission[] bits = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (int bit = 0; bit < bits.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                permissions.add(bits[bit]);
            }
        }
        permissions.add(PosixFilePermission.OWNER_READ);
        permissions.add(PosixFilePermission.OWNER_WRITE);
        Files.setPosixFilePermissions(path, permissions);
    }

    private static String stamp(Archive archive) {
        try {
            return archive.stamper().get();
        } catch (NoSuchFileException e) {
            throw new StackStartException(archive.component() + ": archive " + archive.description()
                    + " does not exist: " + archive.fix(), e);
        } catch (IOException e) {
            throw corrupt(archive, e);
        }
    }

    private static Archived identify(Archive archive, String stamp) {
        try (DigestInputStream in = new DigestInputStream(archive.opener().get(), MessageDigest.getInstance("SHA-1"))) {
            long size = in.transferTo(OutputStream.nullOutputStream());
            return new Archived(HexFormat.of().formatHex(in.getMessageDigest().digest()), size, stamp);
        } catch (IOException e) {
            throw corrupt(archive, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    private static Content content(Archived archived, Tree tree) {
        return new Content(archived.sha1(), archived.size(), archived.stamp(), tree.files(), tree.bytes());
    }

    /** Counts the files (and links) under {@code dir} and sums their bytes, ignoring the marker. */
    private static Tree measure(Path dir) throws IOException {
        long[] totals = new long[2];
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.filter(p -> !p.equals(dir.resolve(MARKER)))
                    .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p))
                    .forEach(p -> {
                        totals[0]++;
                        try {
                            totals[1] += Files.isSymbolicLink(p) ? 0 : Files.size(p);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return new Tree(totals[0], totals[1]);
    }

    /** The marker's record, or null when there is no complete unpack. */
    static Content cachedContent(Path dir) {
        Path marker = dir.resolve(MARKER);
        if (!Files.isRegularFile(marker)) {
            return null;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(marker, StandardCharsets.UTF_8)) {
            properties.load(reader);
            return new Content(properties.getProperty("sha1", ""),
                    Long.parseLong(properties.getProperty("archiveBytes", "-1")),
                    properties.getProperty("stamp", ""),
                    Long.parseLong(properties.getProperty("files", "-1")),
                    Long.parseLong(properties.getProperty("bytes", "-1")));
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    private static void writeMarker(Path marker, Archive archive, Content content) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("archive", archive.description());
        properties.setProperty("sha1", content.sha1());
        properties.setProperty("archiveBytes", String.valueOf(content.archiveBytes()));
        properties.setProperty("stamp", content.stamp());
        properties.setProperty("files", String.valueOf(content.files()));
        properties.setProperty("bytes", String.valueOf(content.bytes()));
        try (Writer writer = Files.newBufferedWriter(marker, StandardCharsets.UTF_8)) {
            properties.store(writer, "Written last by Kaveri when the unpack below is complete");
        }
    }

    /** Removes what an unpack interrupted by a crash (or a killed JVM) left beside the cache. */
    private static void deleteLeftovers(Path cacheDir, String dirName) throws IOException {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(cacheDir,
                dirName + ".{tmp,stale}-*")) {
            for (Path leftover : leftovers) {
                deleteTree(leftover);
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }

    private static StackStartException corrupt(Archive archive, Exception e) {
        return new StackStartException(archive.component() + ": archive " + archive.description() + " is corrupt ("
                + e.getMessage() + "): " + archive.fix(), e);
    }

    private static StackStartException notWritable(Archive archive, Path cacheDir, IOException e) {
        return new StackStartException(archive.component() + ": cannot unpack " + archive.description() + " into "
                + cacheDir + " (" + e + "): choose a writable cache directory with free space", e);
    }
}
