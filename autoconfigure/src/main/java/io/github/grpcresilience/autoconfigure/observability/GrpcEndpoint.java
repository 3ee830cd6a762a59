package io.github.grpcresilience.autoconfigure.observability;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.grpcresilience.connectivity.GoAwayRegistry;
import io.github.grpcresilience.connectivity.GrpcChannelRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@code GET /actuator/grpc}: every channel's target, state, record and effective settings, and
 * the server's port, services and policy, plus the sections other capabilities contribute
 * ({@link GrpcEndpointSection}). {@code GET /actuator/grpc/channels/{name}} shows one channel.
 * Read-only; no credentials or payloads appear.
 */
@Endpoint(id = "grpc")
public class GrpcEndpoint {

    /**
     * The whole endpoint: {@code channels}, then each contributed section under its own name,
     * then {@code server} when there is one.
     *
     * @param channels every channel, by name
     * @param sections the contributed sections' items, by section name (rendered inline)
     * @param server the server's view; absent when the application runs no gRPC server
     */
    public record Overview(Map<String, ChannelDescription> channels, @JsonAnyGetter Map<String, Object> sections,
            @JsonInclude(JsonInclude.Include.NON_NULL) Object server) {
    }

    private final GrpcChannelRegistry registry;
    private final GoAwayRegistry goAways;
    private final ObjectProvider<GrpcServerView> server;
    private final ObjectProvider<GrpcEndpointSection<?>> sections;

    GrpcEndpoint(GrpcChannelRegistry registry, GoAwayRegistry goAways, ObjectProvider<GrpcServerView> server,
            ObjectProvider<GrpcEndpointSection<?>> sections) {
        this.registry = registry;
        this.goAways = goAways;
        this.server = server;
        this.sections = sections;
    }

    @ReadOperation
    public Overview grpc() {
        Map<String, ChannelDescription> channels = new TreeMap<>();
        registry.all().forEach(entry -> channels.put(entry.name(), ChannelDescription.of(entry, goAways)));
        Map<String, Object> contributed = new LinkedHashMap<>();
        sections.orderedStream().forEach(section -> contributed.put(section.name(), section.describeAll()));
        GrpcServerView view = server.getIfAvailable();
        return new Overview(channels, contributed, view == null ? null : view.describe());
    }

    /**
     * {@code /actuator/grpc/channels/{name}} (or another section's item, e.g.
     * {@code /actuator/grpc/streams/{name}}); {@code null} (404) for an unknown section or item.
     */
    @ReadOperation
    public Object item(@Selector String section, @Selector String name) {
        if ("channels".equals(section)) {
            return registry.get(name).map(entry -> ChannelDescription.of(entry, goAways)).orElse(null);
        }
        return sections.orderedStream().filter(candidate -> candidate.name().equals(section)).findFirst()
                .map(candidate -> candidate.describe(name)).orElse(null);
    }
}
