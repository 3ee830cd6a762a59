package io.github.grpcresilience.autoconfigure.observability;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Map;

/**
 * What the {@code grpc} endpoint's answers look like as JSON, so tests assert on the field names,
 * value formats and absent fields a client sees. Rendered as Spring Boot's isolated endpoint
 * {@code ObjectMapper} renders them (JacksonEndpointAutoConfiguration: nulls of record properties
 * left out unless a property says otherwise), read back with numbers keeping their Java type.
 */
public final class EndpointJson {

    private static final ObjectMapper ENDPOINT = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .build();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private EndpointJson() {
    }

    /** The answer as a JSON object, or {@code null} (a 404) for none. */
    public static Map<String, Object> of(Object answer) {
        return answer == null ? null : ENDPOINT.convertValue(answer, MAP);
    }

    /** The whole endpoint, {@code GET /actuator/grpc}. */
    public static Map<String, Object> all(GrpcEndpoint endpoint) {
        return of(endpoint.grpc());
    }
}
