package io.github.grpcresilience.autoconfigure.observability;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a health indicator's details record into the flat map {@code Health} carries, with
 * Jackson, so the record's own names and {@code @JsonInclude} rules decide the JSON just as they
 * do in the {@code grpc} endpoint. Unknown values ({@code null}) are left out of health details:
 * there they would only say "not applicable".
 */
public final class HealthDetails {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private HealthDetails() {
    }

    /** The record's properties by name, numbers keeping their Java type, nulls left out. */
    public static Map<String, Object> of(Object details) {
        Map<String, Object> result = JSON.convertValue(details, MAP);
        result.values().removeIf(Objects::isNull);
        return result;
    }
}
