package io.github.grpcresilience.serviceconfig;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A channel's gRPC service config, typed. {@link #toMap()} renders it in exactly the form
 * {@code ManagedChannelBuilder.defaultServiceConfig} accepts: numbers as {@code Double}, durations
 * as decimal seconds ({@code "0.1s"}), lists as {@code List}.
 *
 * @param loadBalancingPolicy the load-balancing policy ({@code round_robin}, {@code pick_first}), or
 *        null to leave the builder's choice
 * @param healthCheckServiceName the {@code grpc.health.v1} service name to check on each backend
 *        ({@code ""} = the whole server), or null for no client-side health checking
 * @param retryThrottling retry throttling, or null for none
 * @param methods per-method settings; at most one entry per name
 */
public record ServiceConfig(String loadBalancingPolicy, String healthCheckServiceName,
        RetryThrottling retryThrottling, List<MethodConfig> methods) {

    /** The only built-in policy that honours {@code healthCheckConfig}. */
    public static final String ROUND_ROBIN = "round_robin";

    public ServiceConfig {
        methods = List.copyOf(methods);
        Set<MethodName> names = new HashSet<>();
        for (MethodConfig method : methods) {
            if (!names.add(method.name())) {
                throw new IllegalArgumentException("two method configs for " + method.name());
            }
        }
        if (healthCheckServiceName != null && loadBalancingPolicy != null
                && !ROUND_ROBIN.equals(loadBalancingPolicy)) {
            throw new IllegalArgumentException("client-side health checking needs round_robin, not "
                    + loadBalancingPolicy);
        }
    }

    /** The service config as {@code ManagedChannelBuilder.defaultServiceConfig} takes it. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        if (loadBalancingPolicy != null) {
            map.put("loadBalancingConfig", List.of(Map.of(loadBalancingPolicy, Map.of())));
        }
        if (healthCheckServiceName != null) {
            map.put("healthCheckConfig", Map.of("serviceName", healthCheckServiceName));
        }
        if (retryThrottling != null) {
            map.put("retryThrottling", retryThrottling.toMap());
        }
        if (!methods.isEmpty()) {
            map.put("methodConfig", methods.stream().map(MethodConfig::toMap).toList());
        }
        return map;
    }
}
