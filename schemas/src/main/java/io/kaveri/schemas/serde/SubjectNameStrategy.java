package io.kaveri.schemas.serde;

import org.apache.avro.Schema;

/**
 * Which registry subject a record's schema goes under. Configured with {@code key.subject.name.strategy} /
 * {@code value.subject.name.strategy} by class name; Confluent's class names are accepted for the three
 * built-in strategies, so existing configurations keep working.
 */
public interface SubjectNameStrategy {

    /** The subject for a key or value of the topic with this schema. */
    String subjectName(String topic, boolean isKey, Schema schema);

    /** Whether the subject depends on the schema (and so is unknown when the schema is). */
    default boolean usesSchema() {
        return true;
    }

    /**
     * The strategy a class name names: ours, Confluent's alias of it, a simple name such as
     * {@code TopicNameStrategy}, or any class implementing this interface with a public no-argument constructor.
     *
     * @throws IllegalArgumentException naming the class when it cannot be used
     */
    static SubjectNameStrategy named(String className) {
        String name = className == null ? "" : className.trim();
        SubjectNameStrategy builtIn = SubjectNameStrategies.ALIASES.get(name);
        if (builtIn != null) {
            return builtIn;
        }
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            Class<?> type = Class.forName(name, true, loader != null ? loader : SubjectNameStrategy.class.getClassLoader());
            if (!SubjectNameStrategy.class.isAssignableFrom(type)) {
                throw new IllegalArgumentException("'" + name + "' does not implement " + SubjectNameStrategy.class.getName());
            }
            return (SubjectNameStrategy) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalArgumentException("Cannot use '" + name + "' as a subject name strategy: " + e, e);
        }
    }
}
