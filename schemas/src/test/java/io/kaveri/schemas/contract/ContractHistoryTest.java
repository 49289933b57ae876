package io.kaveri.schemas.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kaveri.schemas.contract.ContractHistory.Compatibility;
import io.kaveri.schemas.contract.ContractHistory.ContractException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContractHistoryTest {

  static Path fixture(String name) {
    try {
      return Path.of(ContractHistoryTest.class.getResource("/contract-fixtures/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void compatibleHistoryPassesInEveryDeclaredMode() throws Exception {
    ContractHistory history = ContractHistory.load(fixture("compatible"));

    assertThat(history.subjects()).extracting(s -> s.name() + " " + s.compatibility() + " v" + s.latest().number())
        .containsExactly(
            "io.kaveri.fixture.Evolving BACKWARD v3",
            "io.kaveri.fixture.Order BACKWARD v2",
            "io.kaveri.fixture.Quote FULL v2",
            "io.kaveri.fixture.Reading FORWARD v2");
    assertThat(history.check()).isEmpty();
  }

  @Test
  void fieldAddedWithoutDefaultBreaksBackward() throws Exception {
    assertThat(ContractHistory.load(fixture("backward-field-without-default")).check()).containsExactly(
        "subject io.kaveri.fixture.Order, v1 -> v2, mode BACKWARD: v2 cannot read data written with v1: "
            + "READER_FIELD_MISSING_DEFAULT_VALUE at field 'note' (/fields/2): note");
  }

  @Test
  void fieldRemovedBreaksFullBecauseOldReadersLackIt() throws Exception {
    assertThat(ContractHistory.load(fixture("full-field-removed")).check()).containsExactly(
        "subject io.kaveri.fixture.Quote, v1 -> v2, mode FULL: v1 cannot read data written with v2: "
            + "READER_FIELD_MISSING_DEFAULT_VALUE at field 'ask' (/fields/2): ask");
  }

  @Test
  void typeChangeOfNestedFieldNamesItsPath() throws Exception {
    assertThat(ContractHistory.load(fixture("type-change")).check()).containsExactly(
        "subject io.kaveri.fixture.Reading, v1 -> v2, mode BACKWARD: v2 cannot read data written with v1: "
            + "TYPE_MISMATCH at field 'location.lat' (/fields/1/type/fields/0/type): "
            + "reader type: STRING not compatible with writer type: DOUBLE");
  }

  @Test
  void transitiveModeComparesWithEveryEarlierVersion() throws Exception {
    // Same three versions as the compatible Evolving subject, which passes under plain BACKWARD.
    assertThat(ContractHistory.load(fixture("transitive-break")).check()).containsExactly(
        "subject io.kaveri.fixture.Evolving, v1 -> v3, mode BACKWARD_TRANSITIVE: v3 cannot read data written with v1: "
            + "TYPE_MISMATCH at field 'a' (/fields/1/type): reader type: STRING not compatible with writer type: INT");
  }

  @Test
  void latestVersionMustBeDocumentedWithNamespaceAndValidLogicalTypes() throws Exception {
    assertThat(ContractHistory.load(fixture("undocumented")).check()).containsExactly(
        "subject Plain, v1: record Plain has no namespace",
        "subject Plain, v1: record Plain has no doc",
        "subject Plain, v1: field 'id' of record Plain has no doc",
        "subject Plain, v1: enum Kind has no doc",
        "subject Plain, v1: invalid logical type decimal on "
            + "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":2,\"scale\":4}");
  }

  @Test
  void layoutProblemsAreAllListedNamingSubjectAndFile() throws Exception {
    Path dir = fixture("bad-layout");

    assertThatThrownBy(() -> ContractHistory.load(dir))
        .isInstanceOfSatisfying(ContractException.class, e -> assertThat(e.problems()).satisfiesExactly(
            p -> assertThat(p).isEqualTo("subject io.kaveri.fixture.BadMode: unknown key 'compatability' in "
                + "subject.properties (the only key is compatibility)"),
            p -> assertThat(p).isEqualTo("subject io.kaveri.fixture.BadMode: compatibility=SIDEWAYS in "
                + "subject.properties is not one of [NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, "
                + "FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE]"),
            p -> assertThat(p).isEqualTo("subject io.kaveri.fixture.Gap: v2.avsc is missing before v3.avsc "
                + "(versions are numbered 1, 2, 3... without gaps)"),
            p -> assertThat(p).isEqualTo("subject io.kaveri.fixture.Misnamed, v1 ("
                + dir.resolve("io.kaveri.fixture.Misnamed/v1.avsc") + "): defines io.kaveri.fixture.Order, "
                + "but the directory says io.kaveri.fixture.Misnamed (the directory is named after the record)"),
            p -> assertThat(p).isEqualTo("subject io.kaveri.fixture.NoDescriptor: subject.properties is missing; "
                + "declare compatibility=BACKWARD (or another mode) in it"),
            p -> assertThat(p).startsWith("subject io.kaveri.fixture.NotJson, v1 ("
                + dir.resolve("io.kaveri.fixture.NotJson/v1.avsc") + "): not a valid Avro schema: "),
            p -> assertThat(p).isEqualTo("subject io.kaveri.fixture.Stray: unexpected file v2.avsc.orig "
                + "(expected subject.properties and v1.avsc, v2.avsc, ...)")));
  }

  @Test
  void missingDirectoryIsNamed(@TempDir Path tmp) {
    Path missing = tmp.resolve("nowhere");
    assertThatThrownBy(() -> ContractHistory.load(missing))
        .isInstanceOf(ContractException.class)
        .hasMessage("contracts directory " + missing + " does not exist");
  }

  @Test
  void buildEntryPointFailsOnAnIncompatibleVersionAndWritesNothing(@TempDir Path tmp) {
    Path latest = tmp.resolve("latest");
    Cli cli = new Cli();

    int status = cli.run("check", fixture("backward-field-without-default").toString(), "--latest-to", latest.toString());

    assertThat(status).isEqualTo(1);
    assertThat(cli.out()).isEmpty();
    assertThat(cli.err()).isEqualTo(
        "contract check failed: 1 problem(s) in " + fixture("backward-field-without-default") + "\n"
            + "  subject io.kaveri.fixture.Order, v1 -> v2, mode BACKWARD: v2 cannot read data written with v1: "
            + "READER_FIELD_MISSING_DEFAULT_VALUE at field 'note' (/fields/2): note\n");
    assertThat(latest).doesNotExist();
  }

  @Test
  void buildEntryPointFailsOnLayoutProblems() {
    Cli cli = new Cli();
    assertThat(cli.run("check", fixture("bad-layout").toString())).isEqualTo(1);
    assertThat(cli.err()).startsWith("contract check failed: 7 problem(s) in " + fixture("bad-layout"));
  }

  @Test
  void buildEntryPointWritesOnlyTheLatestVersionOfEachSubject(@TempDir Path tmp) throws Exception {
    Path latest = Files.createDirectories(tmp.resolve("latest"));
    Files.writeString(latest.resolve("io.kaveri.fixture.Removed.avsc"), "{}");
    Cli cli = new Cli();

    int status = cli.run("check", fixture("compatible").toString(), "--latest-to", latest.toString());

    assertThat(status).isEqualTo(0);
    assertThat(cli.out()).isEqualTo("contracts ok: 4 subjects, 9 versions in " + fixture("compatible") + "\n");
    try (var files = Files.list(latest)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
          "io.kaveri.fixture.Evolving.avsc", "io.kaveri.fixture.Order.avsc",
          "io.kaveri.fixture.Quote.avsc", "io.kaveri.fixture.Reading.avsc");
    }
    assertThat(latest.resolve("io.kaveri.fixture.Evolving.avsc"))
        .hasSameTextualContentAs(fixture("compatible").resolve("io.kaveri.fixture.Evolving/v3.avsc"));
  }

  @Test
  void rewritingLatestLeavesUnchangedFilesAlone(@TempDir Path tmp) throws Exception {
    ContractHistory history = ContractHistory.load(fixture("compatible"));
    history.writeLatest(tmp);
    Path order = tmp.resolve("io.kaveri.fixture.Order.avsc");
    Path quote = tmp.resolve("io.kaveri.fixture.Quote.avsc");
    FileTime past = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
    Files.setLastModifiedTime(order, past);
    Files.writeString(quote, "edited by hand");

    history.writeLatest(tmp);

    assertThat(Files.getLastModifiedTime(order)).isEqualTo(past);
    assertThat(quote).hasSameTextualContentAs(fixture("compatible").resolve("io.kaveri.fixture.Quote/v2.avsc"));
  }

  @Test
  void badArgumentsPrintUsage() {
    for (List<String> args : List.of(List.<String>of(), List.of("check"), List.of("verify", "dir"),
        List.of("check", "dir", "--latest"), List.of("check", "dir", "--out", "x"))) {
      Cli cli = new Cli();
      assertThat(cli.run(args.toArray(String[]::new))).as("%s", args).isEqualTo(2);
      assertThat(cli.err()).startsWith("usage: ContractHistory check <contracts-dir>");
    }
  }

  @Test
  void modesRelateTheDirectionsConfluentDefines() {
    assertThat(Compatibility.BACKWARD.newReadsOld()).isTrue();
    assertThat(Compatibility.BACKWARD.oldReadsNew()).isFalse();
    assertThat(Compatibility.FORWARD_TRANSITIVE.newReadsOld()).isFalse();
    assertThat(Compatibility.FORWARD_TRANSITIVE.oldReadsNew()).isTrue();
    assertThat(Compatibility.FULL.newReadsOld()).isTrue();
    assertThat(Compatibility.FULL.oldReadsNew()).isTrue();
    assertThat(Compatibility.FULL.transitive()).isFalse();
    assertThat(Compatibility.FULL_TRANSITIVE.transitive()).isTrue();
    assertThat(Compatibility.NONE.newReadsOld() || Compatibility.NONE.oldReadsNew()).isFalse();
  }

  @Test
  void fieldPathFollowsUnionsArraysAndMaps() {
    Schema schema = new Schema.Parser().parse("""
        {"type": "record", "name": "R", "fields": [
          {"name": "id", "type": "string"},
          {"name": "where", "type": ["null", {"type": "record", "name": "W", "fields": [
            {"name": "hops", "type": {"type": "array", "items": {"type": "record", "name": "H", "fields": [
              {"name": "tags", "type": {"type": "map", "values": "int"}}]}}}]}]}]}
        """);

    assertThat(ContractHistory.fieldAt(schema, "/fields/1/type/1/fields/0/type/items/fields/0/type/values"))
        .isEqualTo("where.hops[].tags{}");
    assertThat(ContractHistory.fieldAt(schema, "/fields/0/type")).isEqualTo("id");
    assertThat(ContractHistory.fieldAt(schema, "/name")).isEmpty();
    assertThat(ContractHistory.fieldAt(schema, "")).isEmpty();
    assertThat(ContractHistory.fieldAt(schema, "/fields/9/type")).isEmpty();
    assertThat(ContractHistory.fieldAt(schema, "/fields/1/type/7")).isEqualTo("where");
  }

  /** Runs the build's entry point with captured output. */
  private static final class Cli {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
      return ContractHistory.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    String out() {
      return out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }

    String err() {
      return err.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }
  }
}
