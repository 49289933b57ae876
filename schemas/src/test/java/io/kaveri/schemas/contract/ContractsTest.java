package io.kaveri.schemas.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.kaveri.schemas.contract.ContractHistory.Subject;
import io.kaveri.schemas.contract.ContractHistory.Version;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The contracts Kaveri ships: documented, gated, generated, and evolvable as declared. */
class ContractsTest {

  private static final Path CONTRACTS = Path.of("src/main/contracts");
  private static ContractHistory history;

  @BeforeAll
  static void load() throws Exception {
    history = ContractHistory.load(CONTRACTS);
  }

  static Stream<Subject> subjects() {
    return history.subjects().stream();
  }

  static Stream<Subject> subjectsReadByOlderVersions() {
    return subjects().filter(s -> s.compatibility().oldReadsNew());
  }

  static Stream<Arguments> samples() {
    return ContractSamples.all().stream().map(r -> Arguments.of(r.getClass().getSimpleName(), r));
  }

  @Test
  void gatePassesAndShowsEvolution() {
    assertThat(history.check()).isEmpty();
    assertThat(history.subjects()).filteredOn(s -> s.versions().size() > 1).extracting(Subject::name)
        .contains("io.kaveri.schemas.market.Trade", "io.kaveri.schemas.web.PageView");
    assertThat(history.subjects()).filteredOn(s -> s.compatibility().oldReadsNew()).extracting(Subject::name)
        .contains("io.kaveri.schemas.market.Trade");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("subjects")
  void everyVersionHasAnAreaNamespaceAndDocEverywhere(Subject subject) {
    for (Version version : subject.versions()) {
      assertThat(version.schema().getNamespace()).as("%s v%d", subject.name(), version.number())
          .matches("io\\.kaveri\\.schemas\\.[a-z]+");
      List<String> undocumented = new ArrayList<>();
      collectUndocumented(version.schema(), new HashSet<>(), undocumented);
      assertThat(undocumented).as("%s v%d", subject.name(), version.number()).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("subjects")
  void generatedClassIsTheLatestVersion(Subject subject) throws Exception {
    Schema generated = SpecificData.get().getSchema(Class.forName(subject.name()));

    // The generator marks strings with avro.java.string=String (the stringType of the build); the
    // rest, docs and defaults included, must be the latest contract exactly.
    String withoutJavaHints = generated.toString()
        .replace("{\"type\":\"string\",\"avro.java.string\":\"String\"}", "\"string\"")
        .replace(",\"avro.java.string\":\"String\"", "");
    assertThat(withoutJavaHints).isEqualTo(subject.latest().schema().toString());
    assertThat(SchemaNormalization.parsingFingerprint64(generated))
        .isEqualTo(SchemaNormalization.parsingFingerprint64(subject.latest().schema()));
  }

  @Test
  void examplesParseAndAreDocumented() throws IOException {
    List<Path> examples;
    try (Stream<Path> files = Files.list(Path.of("src/main/contract-examples"))) {
      examples = files.filter(p -> p.toString().endsWith(".avsc")).toList();
    }
    assertThat(examples).isNotEmpty();
    for (Path example : examples) {
      Schema schema = new Schema.Parser().parse(example.toFile());
      assertThat(example.getFileName().toString()).isEqualTo(schema.getFullName() + ".avsc");
      assertThat(schema.getNamespace()).matches("io\\.kaveri\\.schemas\\.[a-z]+");
      List<String> undocumented = new ArrayList<>();
      collectUndocumented(schema, new HashSet<>(), undocumented);
      assertThat(undocumented).as("%s", example).isEmpty();
    }
  }

  @Test
  void everyContractHasASample() {
    assertThat(ContractSamples.all()).extracting(r -> r.getClass().getName())
        .containsExactlyInAnyOrderElementsOf(history.subjects().stream().map(Subject::name).toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void sampleRoundTripsThroughAvroBinary(String name, SpecificRecordBase sample) throws IOException {
    @SuppressWarnings("unchecked")
    Class<SpecificRecordBase> type = (Class<SpecificRecordBase>) sample.getClass();

    byte[] bytes = encode(new SpecificDatumWriter<>(type), sample);
    SpecificRecordBase back = decode(new SpecificDatumReader<>(type), bytes);

    assertThat(back).isEqualTo(sample).isNotSameAs(sample);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("subjects")
  void dataOfEveryVersionIsReadWithTheLatestIntoTheGeneratedClass(Subject subject) throws Exception {
    Schema latest = subject.latest().schema();
    Class<?> type = Class.forName(subject.name());
    for (Version version : subject.versions()) {
      GenericRecord written = (GenericRecord) datum(version.schema(), version.number());
      byte[] bytes = encode(new GenericDatumWriter<>(version.schema()), written);

      GenericRecord read = decode(new GenericDatumReader<>(version.schema(), latest), bytes);
      for (Schema.Field field : latest.getFields()) {
        Object expected = version.schema().getField(field.name()) != null
            ? written.get(field.name())
            : GenericData.get().getDefaultValue(field);
        assertThat(json(read.get(field.name())))
            .as("%s v%d field %s", subject.name(), version.number(), field.name()).isEqualTo(json(expected));
      }

      Object specific = decode(new SpecificDatumReader<>(version.schema(), latest, SpecificData.getForClass(type)), bytes);
      assertThat(specific).isInstanceOf(type);
      @SuppressWarnings("unchecked")
      Class<Object> objectType = (Class<Object>) type;
      byte[] reencoded = encode(new SpecificDatumWriter<>(objectType), specific);
      assertThat((Object) decode(new GenericDatumReader<GenericRecord>(latest), reencoded))
          .as("%s v%d through %s", subject.name(), version.number(), type.getSimpleName()).isEqualTo(read);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("subjectsReadByOlderVersions")
  void forwardAndFullModesLetEveryOlderVersionReadLatestData(Subject subject) throws IOException {
    Schema latest = subject.latest().schema();
    GenericRecord written = (GenericRecord) datum(latest, 7);
    byte[] bytes = encode(new GenericDatumWriter<>(latest), written);
    for (Version older : subject.versions()) {
      GenericRecord read = decode(new GenericDatumReader<>(latest, older.schema()), bytes);
      for (Schema.Field field : older.schema().getFields()) {
        assertThat(json(read.get(field.name())))
            .as("%s v%d reading field %s", subject.name(), older.number(), field.name())
            .isEqualTo(json(written.get(field.name())));
      }
    }
  }

  private static void collectUndocumented(Schema schema, Set<String> seen, List<String> out) {
    switch (schema.getType()) {
      case RECORD -> {
        if (seen.add(schema.getFullName())) {
          if (isBlank(schema.getDoc())) {
            out.add("record " + schema.getFullName());
          }
          for (Schema.Field field : schema.getFields()) {
            if (isBlank(field.doc())) {
              out.add("field " + schema.getFullName() + "." + field.name());
            }
            collectUndocumented(field.schema(), seen, out);
          }
        }
      }
      case ENUM, FIXED -> {
        if (seen.add(schema.getFullName()) && isBlank(schema.getDoc())) {
          out.add(schema.getType() + " " + schema.getFullName());
        }
      }
      case ARRAY -> collectUndocumented(schema.getElementType(), seen, out);
      case MAP -> collectUndocumented(schema.getValueType(), seen, out);
      case UNION -> schema.getTypes().forEach(t -> collectUndocumented(t, seen, out));
      default -> { }
    }
  }

  /** Avro's JSON rendering: the same for a String and a Utf8, for a Map and a HashMap of the same entries. */
  private static String json(Object value) {
    return GenericData.get().toString(value);
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  /** A deterministic generic value of {@code schema}, in Avro's raw (unconverted) representation. */
  private static Object datum(Schema schema, int seed) {
    return switch (schema.getType()) {
      case RECORD -> {
        GenericData.Record record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
          record.put(field.pos(), datum(field.schema(), seed + field.pos()));
        }
        yield record;
      }
      case ENUM -> new GenericData.EnumSymbol(schema,
          schema.getEnumSymbols().get(seed % schema.getEnumSymbols().size()));
      case ARRAY -> new GenericData.Array<>(schema,
          List.of(datum(schema.getElementType(), seed), datum(schema.getElementType(), seed + 1)));
      case MAP -> Map.of("key" + seed, datum(schema.getValueType(), seed));
      // The non-null branch: a null would hide whether the value survives the resolution.
      case UNION -> datum(schema.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL)
          .findFirst().orElseThrow(), seed);
      case STRING -> "text-" + seed;
      case BYTES -> schema.getLogicalType() instanceof LogicalTypes.Decimal
          ? ByteBuffer.wrap(BigInteger.valueOf(123_456_789L * (seed + 1)).toByteArray())
          : ByteBuffer.wrap(("bytes-" + seed).getBytes(StandardCharsets.UTF_8));
      case FIXED -> new GenericData.Fixed(schema, new byte[schema.getFixedSize()]);
      case INT -> seed;
      case LONG -> schema.getLogicalType() != null ? 1_741_944_413_589L + seed : 1_000L * seed;
      case FLOAT -> seed + 0.5f;
      case DOUBLE -> seed + 0.25;
      case BOOLEAN -> seed % 2 == 0;
      case NULL -> null;
    };
  }

  private static <T> byte[] encode(DatumWriter<T> writer, T value) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Encoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    writer.write(value, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  private static <T> T decode(DatumReader<T> reader, byte[] bytes) throws IOException {
    return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
  }
}
