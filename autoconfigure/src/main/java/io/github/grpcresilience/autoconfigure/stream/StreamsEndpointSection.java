package io.github.grpcresilience.autoconfigure.stream;

import io.github.grpcresilience.autoconfigure.observability.GrpcEndpointSection;
import io.github.grpcresilience.stream.ResilientStream;
import io.github.grpcresilience.stream.StreamSupervisor;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code streams} section of the {@code grpc} endpoint: each stream's record and settings. */
final class StreamsEndpointSection implements GrpcEndpointSection<StreamDescription> {

    private final StreamSupervisor supervisor;

    StreamsEndpointSection(StreamSupervisor supervisor) {
        this.supervisor = supervisor;
    }

    @Override
    public String name() {
        return "streams";
    }

    @Override
    public Map<String, StreamDescription> describeAll() {
        Map<String, StreamDescription> result = new LinkedHashMap<>();
        supervisor.streams().stream().sorted(Comparator.comparing(ResilientStream::name))
                .forEach(stream -> result.put(stream.name(), StreamDescription.of(stream)));
        return result;
    }

    @Override
    public StreamDescription describe(String item) {
        return supervisor.stream(item).map(StreamDescription::of).orElse(null);
    }
}
