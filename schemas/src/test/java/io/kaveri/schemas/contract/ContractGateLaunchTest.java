package io.kaveri.schemas.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * Launches the gate the way the build does: the source file alone, by the JDK's source launcher,
 * with nothing of this module on the class path. It proves the file stays self-contained and that
 * a break ends the process with a non-zero status, which is what fails the Maven build.
 */
class ContractGateLaunchTest {

  private static final Path SOURCE = Path.of("src/main/java/io/kaveri/schemas/contract/ContractHistory.java");

  @Test
  void incompatibleFixtureExitsNonZeroNamingSubjectVersionsAndField() throws Exception {
    Result result = launch("check", ContractHistoryTest.fixture("full-field-removed").toString());

    assertThat(result.status()).as(result.output()).isEqualTo(1);
    assertThat(result.output()).contains(
        "subject io.kaveri.fixture.Quote, v1 -> v2, mode FULL: v1 cannot read data written with v2: "
            + "READER_FIELD_MISSING_DEFAULT_VALUE at field 'ask' (/fields/2): ask");
  }

  @Test
  void compatibleFixtureExitsZero() throws Exception {
    Result result = launch("check", ContractHistoryTest.fixture("compatible").toString());

    assertThat(result.status()).as(result.output()).isZero();
    assertThat(result.output()).contains("contracts ok: 4 subjects, 9 versions");
  }

  private static Result launch(String... args) throws Exception {
    String classPath = Stream.of(Schema.class, JsonFactory.class, ObjectMapper.class, JsonProperty.class, Logger.class)
        .map(c -> jarOf(c).toString())
        .distinct()
        .collect(Collectors.joining(File.pathSeparator));
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dslf4j.internal.verbosity=ERROR", "-cp", classPath, SOURCE.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("gate process ended").isTrue();
    return new Result(process.exitValue(), output);
  }

  private static Path jarOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (Exception e) {
      throw new IllegalStateException("cannot locate the jar of " + type, e);
    }
  }

  private record Result(int status, String output) { }
}
