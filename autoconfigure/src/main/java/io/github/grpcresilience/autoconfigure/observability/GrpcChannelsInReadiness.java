package io.github.grpcresilience.autoconfigure.observability;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Which health group {@code grpcChannels} joins and when: the {@code readiness} group wherever that
 * group exists (probes enabled, Kubernetes, or a group the application defines), and nowhere else,
 * so that a broken downstream channel takes the instance out of load balancing but never fails
 * liveness and never creates a group. Each Spring Boot version's glue decorates that group with a
 * {@code HealthEndpointGroupsPostProcessor}, rather than configuring
 * {@code management.endpoint.health.group.readiness.include}: that property is validated at startup
 * and would name {@code readinessState}, which exists only where probes are on.
 *
 * <p>An application that lists the readiness group's members itself keeps exactly its list.
 *
 * <p>The post-processor must run after Spring Boot's probe post-processor, which creates the
 * {@code readiness} group: both have the lowest precedence, and the auto-configuration that
 * registers the starter's comes after Boot's probes auto-configuration.
 */
public final class GrpcChannelsInReadiness {

    static final String GROUP = "readiness";
    static final String MEMBER = "grpcChannels";
    static final String INCLUDE_PROPERTY = "management.endpoint.health.group." + GROUP + ".include";

    private GrpcChannelsInReadiness() {
    }

    /** False where the application lists the readiness group's members itself. */
    public static boolean joins(Environment environment) {
        return !Binder.get(environment).bind(INCLUDE_PROPERTY, Bindable.setOf(String.class)).isBound();
    }

    /** Whether the group called {@code name} gets {@code grpcChannels}. */
    public static boolean decorates(String groupName) {
        return GROUP.equals(groupName);
    }

    /**
     * Whether {@code name} is {@code grpcChannels}: Boot asks a group about leaves by their full path,
     * a composite's members as {@code grpcChannels/<channel>}, never {@code grpcChannels} itself.
     */
    public static boolean isGrpcChannels(String name) {
        return MEMBER.equals(name) || name.startsWith(MEMBER + "/");
    }
}
