package io.kaveri.schemas.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * The version history of Kaveri's Avro contracts, and the gate that keeps it evolvable.
 *
 * <p>Layout: one directory per subject, named after the full name of its record, holding
 * {@value #DESCRIPTOR} (the subject's compatibility mode) and {@code v1.avsc}, {@code v2.avsc}, ...
 * A version, once released, is never edited: a change is a new file. {@link #check()} tests every
 * new version against the one before it (or all before it, for the {@code *_TRANSITIVE} modes) with
 * Avro's own {@link SchemaCompatibility}, the checker Confluent-compatible registries use, so that a
 * contract the build accepts is one the registry will accept too.
 *
 * <p>This file depends on the JDK and Avro only and on no other class of this module: the build runs
 * it as a single-file source program before the module is compiled, to gate the contracts and to
 * hand their latest versions to the Avro code generator.
 */
public final class ContractHistory {

  /** Name of the file in a subject's directory that declares its compatibility mode. */
  public static final String DESCRIPTOR = "subject.properties";
  /** Key of {@value #DESCRIPTOR} whose value is a {@link Compatibility} name. */
  public static final String COMPATIBILITY_KEY = "compatibility";

  private static final Pattern VERSION_FILE = Pattern.compile("v([1-9][0-9]*)\\.avsc");
  private static final String USAGE =
      "usage: ContractHistory check <contracts-dir> [--latest-to <dir>]";

  private final Path root;
  private final List<Subject> subjects;

  private ContractHistory(Path root, List<Subject> subjects) {
    this.root = root;
    this.subjects = List.copyOf(subjects);
  }

  /**
   * Reads every subject below {@code root}.
   *
   * @throws ContractException listing every layout, descriptor and parse problem found, not just the first
   */
  public static ContractHistory load(Path root) throws ContractException {
    if (!Files.isDirectory(root)) {
      throw new ContractException(List.of("contracts directory " + root + " does not exist"));
    }
    List<String> problems = new ArrayList<>();
    List<Subject> subjects = new ArrayList<>();
    for (Path entry : list(root, problems)) {
      String name = entry.getFileName().toString();
      if (name.startsWith(".")) {
        continue;
      }
      if (!Files.isDirectory(entry)) {
        problems.add("unexpected file " + entry + ": each contract is a directory named after its subject");
        continue;
      }
      Subject subject = loadSubject(entry, problems);
      if (subject != null) {
        subjects.add(subject);
      }
    }
    if (!problems.isEmpty()) {
      throw new ContractException(problems);
    }
    return new ContractHistory(root, subjects);
  }

  /** The subjects, sorted by name. */
  public List<Subject> subjects() {
    return subjects;
  }

  /**
   * Checks the history: every pair of versions the subject's mode relates must be compatible in the
   * mode's direction(s), and each latest version must document every record, enum, fixed and field
   * and carry valid logical types. Earlier versions are not linted: released history is immutable.
   *
   * @return one line per problem, naming subject, versions, mode and field; empty when all is well
   */
  public List<String> check() {
    List<String> problems = new ArrayList<>();
    for (Subject subject : subjects) {
      problems.addAll(lint(subject));
      problems.addAll(compatibilityProblems(subject));
    }
    return problems;
  }

  /**
   * Makes the {@code .avsc} files of {@code dir} the latest version of every subject, named
   * {@code <subject>.avsc}: the input of the code generator, which must see one version per type.
   * Unchanged files are left untouched, so that the generator and compiler can skip them.
   */
  public void writeLatest(Path dir) throws IOException {
    Files.createDirectories(dir);
    Set<Path> wanted = new HashSet<>();
    for (Subject subject : subjects) {
      Path target = dir.resolve(subject.name() + ".avsc");
      wanted.add(target);
      byte[] content = Files.readAllBytes(subject.latest().file());
      if (!Files.isRegularFile(target) || !Arrays.equals(Files.readAllBytes(target), content)) {
        Files.write(target, content);
      }
    }
    try (Stream<Path> present = Files.list(dir)) {
      for (Path stale : (Iterable<Path>) present
          .filter(p -> p.toString().endsWith(".avsc") && !wanted.contains(p))::iterator) {
        Files.delete(stale);
      }
    }
  }

  /** Entry point of the build and of scripts; exits non-zero when the contracts do not pass. */
  public static void main(String[] args) {
    int status = run(List.of(args), System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * What {@link #main} does, without exiting: 0 when the contracts pass, 1 when they do not (each
   * problem printed to {@code err}), 2 on bad arguments.
   */
  static int run(List<String> args, PrintStream out, PrintStream err) {
    boolean withLatest = args.size() == 4 && "--latest-to".equals(args.get(2));
    if (!(args.size() == 2 || withLatest) || !"check".equals(args.get(0))) {
      err.println(USAGE);
      return 2;
    }
    Path dir = Path.of(args.get(1));
    try {
      ContractHistory history = load(dir);
      List<String> problems = history.check();
      if (!problems.isEmpty()) {
        return fail(err, dir, problems);
      }
      if (withLatest) {
        history.writeLatest(Path.of(args.get(3)));
      }
      int versions = history.subjects().stream().mapToInt(s -> s.versions().size()).sum();
      out.printf(Locale.ROOT, "contracts ok: %d subjects, %d versions in %s%n",
          history.subjects().size(), versions, dir);
      return 0;
    } catch (ContractException e) {
      return fail(err, dir, e.problems());
    } catch (IOException e) {
      err.println("contract check failed: cannot write latest versions: " + e);
      return 1;
    }
  }

  private static int fail(PrintStream err, Path dir, List<String> problems) {
    err.printf(Locale.ROOT, "contract check failed: %d problem(s) in %s%n", problems.size(), dir);
    problems.forEach(p -> err.println("  " + p));
    return 1;
  }

  private static Subject loadSubject(Path dir, List<String> problems) {
    String name = dir.getFileName().toString();
    Compatibility compatibility = readDescriptor(name, dir.resolve(DESCRIPTOR), problems);
    TreeMap<Integer, Path> files = new TreeMap<>();
    for (Path file : list(dir, problems)) {
      String fileName = file.getFileName().toString();
      Matcher m = VERSION_FILE.matcher(fileName);
      if (m.matches()) {
        files.put(Integer.parseInt(m.group(1)), file);
      } else if (!fileName.equals(DESCRIPTOR) && !fileName.startsWith(".")) {
        problems.add("subject " + name + ": unexpected file " + fileName
            + " (expected " + DESCRIPTOR + " and v1.avsc, v2.avsc, ...)");
      }
    }
    if (files.isEmpty()) {
      problems.add("subject " + name + ": no version, expected at least v1.avsc");
      return null;
    }
    int expected = 1;
    for (int number : files.keySet()) {
      if (number != expected) {
        problems.add("subject " + name + ": v" + expected + ".avsc is missing before v" + number
            + ".avsc (versions are numbered 1, 2, 3... without gaps)");
        return null;
      }
      expected++;
    }
    List<Version> versions = new ArrayList<>();
    files.forEach((number, file) -> {
      Version version = parse(name, number, file, problems);
      if (version != null) {
        versions.add(version);
      }
    });
    if (compatibility == null || versions.size() != files.size()) {
      return null;
    }
    return new Subject(name, compatibility, versions);
  }

  private static Compatibility readDescriptor(String subject, Path file, List<String> problems) {
    if (!Files.isRegularFile(file)) {
      problems.add("subject " + subject + ": " + DESCRIPTOR + " is missing; declare "
          + COMPATIBILITY_KEY + "=BACKWARD (or another mode) in it");
      return null;
    }
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      properties.load(in);
    } catch (IOException | IllegalArgumentException e) {
      problems.add("subject " + subject + ": cannot read " + DESCRIPTOR + ": " + e.getMessage());
      return null;
    }
    for (String key : properties.stringPropertyNames()) {
      if (!key.equals(COMPATIBILITY_KEY)) {
        problems.add("subject " + subject + ": unknown key '" + key + "' in " + DESCRIPTOR
            + " (the only key is " + COMPATIBILITY_KEY + ")");
      }
    }
    String mode = properties.getProperty(COMPATIBILITY_KEY);
    if (mode == null) {
      problems.add("subject " + subject + ": " + DESCRIPTOR + " does not declare " + COMPATIBILITY_KEY);
      return null;
    }
    try {
      return Compatibility.valueOf(mode.trim());
    } catch (IllegalArgumentException e) {
      problems.add("subject " + subject + ": " + COMPATIBILITY_KEY + "=" + mode + " in " + DESCRIPTOR
          + " is not one of " + List.of(Compatibility.values()));
      return null;
    }
  }

  private static Version parse(String subject, int number, Path file, List<String> problems) {
    String where = "subject " + subject + ", v" + number + " (" + file + ")";
    Schema schema;
    try {
      // A fresh parser per file: every version must stand alone, as it does in a registry.
      schema = new Schema.Parser().parse(file.toFile());
    } catch (IOException | RuntimeException e) {
      problems.add(where + ": not a valid Avro schema: " + e.getMessage());
      return null;
    }
    if (schema.getType() != Schema.Type.RECORD) {
      problems.add(where + ": is a " + schema.getType() + ", a contract is a record");
      return null;
    }
    if (!schema.getFullName().equals(subject)) {
      problems.add(where + ": defines " + schema.getFullName()
          + ", but the directory says " + subject + " (the directory is named after the record)");
      return null;
    }
    return new Version(number, file, schema);
  }

  private static List<Path> list(Path dir, List<String> problems) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.sorted().toList();
    } catch (IOException e) {
      problems.add("cannot list " + dir + ": " + e);
      return List.of();
    }
  }

  private static List<String> compatibilityProblems(Subject subject) {
    List<String> problems = new ArrayList<>();
    Compatibility mode = subject.compatibility();
    List<Version> versions = subject.versions();
    for (int n = 1; n < versions.size(); n++) {
      Version newer = versions.get(n);
      int from = mode.transitive() ? 0 : n - 1;
      for (int o = from; o < n; o++) {
        Version older = versions.get(o);
        String pair = "subject " + subject.name() + ", v" + older.number() + " -> v" + newer.number()
            + ", mode " + mode + ": ";
        if (mode.newReadsOld()) {
          problems.addAll(incompatibilities(pair, newer, older));
        }
        if (mode.oldReadsNew()) {
          problems.addAll(incompatibilities(pair, older, newer));
        }
      }
    }
    return problems;
  }

  private static List<String> incompatibilities(String pair, Version reader, Version writer) {
    SchemaCompatibility.SchemaCompatibilityResult result = SchemaCompatibility
        .checkReaderWriterCompatibility(reader.schema(), writer.schema()).getResult();
    List<String> problems = new ArrayList<>();
    for (Incompatibility i : result.getIncompatibilities()) {
      String field = fieldAt(reader.schema(), i.getLocation());
      problems.add(pair + "v" + reader.number() + " cannot read data written with v" + writer.number()
          + ": " + i.getType() + (field.isEmpty() ? "" : " at field '" + field + "'")
          + " (" + i.getLocation() + "): " + i.getMessage());
    }
    return problems;
  }

  /**
   * Turns a location of {@link Incompatibility} (a JSON pointer into the reader schema, such as
   * {@code /fields/2/type/1/fields/0}) into a field path such as {@code location.lat}, so that the
   * message names the field a person would look for.
   */
  static String fieldAt(Schema reader, String location) {
    List<String> names = new ArrayList<>();
    Schema current = reader;
    String[] steps = location.split("/");
    for (int i = 1; i < steps.length && current != null; i++) {
      String step = steps[i];
      if (step.equals("fields") && i + 1 < steps.length && steps[i + 1].matches("[0-9]+")
          && current.getType() == Schema.Type.RECORD
          && Integer.parseInt(steps[i + 1]) < current.getFields().size()) {
        Schema.Field field = current.getFields().get(Integer.parseInt(steps[++i]));
        names.add(field.name());
        current = field.schema();
      } else if (step.equals("items") && current.getType() == Schema.Type.ARRAY) {
        current = current.getElementType();
        names.add(names.isEmpty() ? "[]" : names.remove(names.size() - 1) + "[]");
      } else if (step.equals("values") && current.getType() == Schema.Type.MAP) {
        current = current.getValueType();
        names.add(names.isEmpty() ? "{}" : names.remove(names.size() - 1) + "{}");
      } else if (current.getType() == Schema.Type.UNION && step.matches("[0-9]+")
          && Integer.parseInt(step) < current.getTypes().size()) {
        current = current.getTypes().get(Integer.parseInt(step));
      } else if (!step.equals("type")) {
        break; // name, size, symbols: a property of the type at hand, not a deeper field
      }
    }
    return String.join(".", names);
  }

  private static List<String> lint(Subject subject) {
    List<String> problems = new ArrayList<>();
    Version latest = subject.latest();
    String where = "subject " + subject.name() + ", v" + latest.number() + ": ";
    if (latest.schema().getNamespace() == null || latest.schema().getNamespace().isEmpty()) {
      problems.add(where + "record " + latest.schema().getName() + " has no namespace");
    }
    lint(latest.schema(), where, new HashSet<>(), problems);
    return problems;
  }

  private static void lint(Schema schema, String where, Set<String> seen, List<String> problems) {
    if (schema.getProp("logicalType") != null && schema.getLogicalType() == null) {
      problems.add(where + "invalid logical type " + schema.getProp("logicalType") + " on " + schema);
    }
    switch (schema.getType()) {
      case RECORD -> {
        if (!seen.add(schema.getFullName())) {
          return;
        }
        requireDoc(schema.getDoc(), where + "record " + schema.getFullName(), problems);
        for (Schema.Field field : schema.getFields()) {
          requireDoc(field.doc(), where + "field '" + field.name() + "' of record " + schema.getFullName(), problems);
          lint(field.schema(), where, seen, problems);
        }
      }
      case ENUM, FIXED -> {
        if (seen.add(schema.getFullName())) {
          requireDoc(schema.getDoc(), where + schema.getType().getName() + " " + schema.getFullName(), problems);
        }
      }
      case ARRAY -> lint(schema.getElementType(), where, seen, problems);
      case MAP -> lint(schema.getValueType(), where, seen, problems);
      case UNION -> schema.getTypes().forEach(t -> lint(t, where, seen, problems));
      default -> { }
    }
  }

  private static void requireDoc(String doc, String what, List<String> problems) {
    if (doc == null || doc.isBlank()) {
      problems.add(what + " has no doc");
    }
  }

  @Override
  public String toString() {
    return "ContractHistory[" + root + ", " + subjects.size() + " subjects]";
  }

  /** One subject: its name, declared mode and versions, oldest first. */
  public record Subject(String name, Compatibility compatibility, List<Version> versions) {
    public Subject {
      versions = List.copyOf(versions);
    }

    /** The newest version: the one the code generator compiles and producers write. */
    public Version latest() {
      return versions.get(versions.size() - 1);
    }
  }

  /** One released version of a subject. */
  public record Version(int number, Path file, Schema schema) { }

  /**
   * The compatibility modes of Confluent-compatible registries, with their meaning: BACKWARD, a
   * new version reads data written with the previous one (consumers upgrade first); FORWARD, the
   * previous version reads data written with the new one (producers upgrade first); FULL, both.
   * The {@code _TRANSITIVE} modes compare with every earlier version, not just the previous one.
   */
  public enum Compatibility {
    NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE;

    /** Whether every earlier version is compared, not only the previous one. */
    public boolean transitive() {
      return name().endsWith("_TRANSITIVE");
    }

    /** Whether the new version must read data written with older ones. */
    public boolean newReadsOld() {
      return name().startsWith("BACKWARD") || name().startsWith("FULL");
    }

    /** Whether older versions must read data written with the new one. */
    public boolean oldReadsNew() {
      return name().startsWith("FORWARD") || name().startsWith("FULL");
    }
  }

  /** The contracts cannot be read: every problem found, one line each. */
  public static final class ContractException extends Exception {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    ContractException(List<String> problems) {
      super(String.join("; ", problems));
      this.problems = Collections.unmodifiableList(new ArrayList<>(problems));
    }

    /** The problems, one line each, naming the subject and file. */
    public List<String> problems() {
      return problems;
    }
  }
}
