package io.github.grpcresilience.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;

/** The generated configuration metadata describes every property; the analyzers are registered. */
class ConfigurationMetadataTest {

    @Test
    void everyPropertyHasADescription() throws Exception {
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated metadata").isNotNull();
            metadata = new ObjectMapper().readTree(in);
        }
        List<String> names = new ArrayList<>();
        List<String> undescribed = new ArrayList<>();
        for (JsonNode property : metadata.get("properties")) {
            String name = property.get("name").asText();
            names.add(name);
            JsonNode description = property.get("description");
            if (description == null || description.asText().isBlank()) {
                undescribed.add(name);
            }
        }
        assertThat(names).contains("grpc.resilience.client.defaults.tcp-keepalive.idle",
                "grpc.resilience.server.permit-keepalive.time");
        assertThat(undescribed).isEmpty();
    }

    @Test
    void failureAnalyzersAreRegistered() {
        @SuppressWarnings("deprecation")
        List<String> analyzers = SpringFactoriesLoader.loadFactoryNames(FailureAnalyzer.class,
                getClass().getClassLoader());
        assertThat(analyzers).contains(InvalidGrpcResiliencePropertyFailureAnalyzer.class.getName(),
                GrpcResiliencePropertyBindFailureAnalyzer.class.getName());
    }
}
