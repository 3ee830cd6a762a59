package io.github.grpcresilience.autoconfigure.observability;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a health indicator's details record into the flat map a health report carries: the
 * record's components by name, in declaration order, numbers keeping their Java type. Unknown
 * values ({@code null}) are left out: in health details they would only say "not applicable".
 *
 * <p>Without Jackson: Spring Boot 3 brings Jackson 2 and Spring Boot 4 Jackson 3, and these
 * details must be read under both. The records it is given rename nothing, and what their
 * {@code @JsonInclude} rules leave out of the {@code grpc} endpoint is null, so the map holds what
 * Jackson would render.
 */
public final class HealthDetails {

    private HealthDetails() {
    }

    /** The record's components by name, nulls left out. */
    public static Map<String, Object> of(Record details) {
        Map<String, Object> result = new LinkedHashMap<>();
        for (RecordComponent component : details.getClass().getRecordComponents()) {
            Object value = value(details, component);
            if (value != null) {
                result.put(component.getName(), value);
            }
        }
        return result;
    }

    private static Object value(Record details, RecordComponent component) {
        try {
            var accessor = component.getAccessor();
            accessor.setAccessible(true); // the records are package-private in their capability's package
            return accessor.invoke(details);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("Cannot read " + component + " of " + details.getClass().getName(), e);
        }
    }
}
