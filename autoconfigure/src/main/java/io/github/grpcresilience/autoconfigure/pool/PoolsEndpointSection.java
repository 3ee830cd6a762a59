package io.github.grpcresilience.autoconfigure.pool;

import io.github.grpcresilience.autoconfigure.observability.GrpcEndpointSection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code pools} section of the {@code grpc} endpoint: per pooled channel its size, calls in
 * flight, each member (state, calls, age, whether it is draining after removal) and what the pool
 * did last.
 */
final class PoolsEndpointSection implements GrpcEndpointSection<PoolDescription> {

    private final ChannelPools pools;

    PoolsEndpointSection(ChannelPools pools) {
        this.pools = pools;
    }

    @Override
    public String name() {
        return "pools";
    }

    @Override
    public Map<String, PoolDescription> describeAll() {
        Map<String, PoolDescription> result = new TreeMap<>();
        pools.records().forEach((name, record) -> result.put(name, PoolDescription.of(record)));
        return result;
    }

    @Override
    public PoolDescription describe(String item) {
        return pools.record(item).map(PoolDescription::of).orElse(null);
    }
}
