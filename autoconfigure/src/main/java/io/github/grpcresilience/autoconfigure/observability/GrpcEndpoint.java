package io.github.grpcresilience.autoconfigure.observability;

import io.github.grpcresilience.connectivity.ChannelMonitor;
import io.github.grpcresilience.connectivity.GoAwayReason;
import io.github.grpcresilience.connectivity.GoAwayRegistry;
import io.github.grpcresilience.connectivity.GrpcChannelRegistry;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
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

    private final GrpcChannelRegistry registry;
    private final GoAwayRegistry goAways;
    private final ObjectProvider<GrpcServerView> server;
    private final ObjectProvider<GrpcEndpointSection> sections;

    GrpcEndpoint(GrpcChannelRegistry registry, GoAwayRegistry goAways, ObjectProvider<GrpcServerView> server,
            ObjectProvider<GrpcEndpointSection> sections) {
        this.registry = registry;
        this.goAways = goAways;
        this.server = server;
        this.sections = sections;
    }

    @ReadOperation
    public Map<String, Object> grpc() {
        Map<String, Object> channels = new LinkedHashMap<>();
        registry.all().stream().sorted(Comparator.comparing(GrpcChannelRegistry.Entry::name))
                .forEach(entry -> channels.put(entry.name(), describe(entry)));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("channels", channels);
        sections.orderedStream().forEach(section -> result.put(section.name(), section.describeAll()));
        GrpcServerView view = server.getIfAvailable();
        if (view != null) {
            result.put("server", view.describe());
        }
        return result;
    }

    /**
     * {@code /actuator/grpc/channels/{name}} (or another section's item, e.g.
     * {@code /actuator/grpc/streams/{name}}); {@code null} (404) for an unknown section or item.
     */
    @ReadOperation
    public Map<String, Object> item(@Selector String section, @Selector String name) {
        if ("channels".equals(section)) {
            return registry.get(name).map(this::describe).orElse(null);
        }
        return sections.orderedStream().filter(candidate -> candidate.name().equals(section)).findFirst()
                .map(candidate -> candidate.describe(name)).orElse(null);
    }

    private Map<String, Object> describe(GrpcChannelRegistry.Entry entry) {
        ChannelMonitor.Snapshot snapshot = entry.monitor().snapshot();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("target", entry.target());
        result.put("state", snapshot.state().name());
        result.put("since", snapshot.since().toString());
        result.put("transitions", snapshot.transitions());
        result.put("lastHealthy", snapshot.lastHealthy().toString());
        if (snapshot.lastFailure() != null) {
            Map<String, Object> failure = new LinkedHashMap<>();
            failure.put("code", snapshot.lastFailure().code().name());
            failure.put("description", snapshot.lastFailure().description());
            failure.put("at", snapshot.lastFailure().at().toString());
            result.put("lastFailure", failure);
        }
        Map<String, Long> goAway = new LinkedHashMap<>();
        goAways.counts(entry.name()).forEach((reason, count) -> goAway.put(reason.tagValue(), count));
        result.put("goaway", goAway);
        result.put("tooManyPings", goAways.count(entry.name(), GoAwayReason.TOO_MANY_PINGS));
        result.put("settings", entry.settings());
        return result;
    }
}
