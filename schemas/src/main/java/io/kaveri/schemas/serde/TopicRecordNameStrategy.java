package io.kaveri.schemas.serde;

import org.apache.avro.Schema;

/** {@code <topic>-<full name>}: several record types per topic, each with its own schema history. */
public final class TopicRecordNameStrategy implements SubjectNameStrategy {
    @Override
    public String subjectName(String topic, boolean isKey, Schema schema) {
        return topic + '-' + schema.getFullName();
    }
}
