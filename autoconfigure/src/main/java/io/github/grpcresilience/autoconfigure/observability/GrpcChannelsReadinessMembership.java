package io.github.grpcresilience.autoconfigure.observability;

import java.util.List;
import java.util.Set;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.AdditionalPathsMapper;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.actuate.health.AdditionalHealthEndpointPath;
import org.springframework.boot.actuate.health.HealthEndpointGroup;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.actuate.health.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.actuate.health.HttpCodeStatusMapper;
import org.springframework.boot.actuate.health.StatusAggregator;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Adds {@code grpcChannels} to the {@code readiness} health group wherever that group exists (probes
 * enabled, Kubernetes, or a group the application defines), and nowhere else: a broken downstream
 * channel takes the instance out of load balancing, but never fails liveness and never creates a
 * group. A group is decorated rather than configured through
 * {@code management.endpoint.health.group.readiness.include}, because that property is validated at
 * startup and would name {@code readinessState}, which exists only where probes are on.
 *
 * <p>An application that lists the readiness group's members itself
 * ({@code management.endpoint.health.group.readiness.include}) keeps exactly its list.
 *
 * <p>It must run after Spring Boot's probe post-processor, which creates the {@code readiness}
 * group: both have the lowest precedence, and the auto-configuration that registers this one comes
 * after Boot's probes auto-configuration.
 */
final class GrpcChannelsReadinessMembership implements HealthEndpointGroupsPostProcessor {

    static final String GROUP = "readiness";
    static final String MEMBER = "grpcChannels";
    static final String INCLUDE_PROPERTY = "management.endpoint.health.group." + GROUP + ".include";

    private final boolean membersListedByTheApplication;

    GrpcChannelsReadinessMembership(Environment environment) {
        this.membersListedByTheApplication = Binder.get(environment)
                .bind(INCLUDE_PROPERTY, Bindable.setOf(String.class)).isBound();
    }

    @Override
    public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
        return membersListedByTheApplication ? groups : new Groups(groups);
    }

    /** The application's groups with {@code readiness} decorated; additional paths pass through. */
    private static final class Groups implements HealthEndpointGroups, AdditionalPathsMapper {

        private final HealthEndpointGroups delegate;

        Groups(HealthEndpointGroups delegate) {
            this.delegate = delegate;
        }

        @Override
        public HealthEndpointGroup getPrimary() {
            return delegate.getPrimary();
        }

        @Override
        public Set<String> getNames() {
            return delegate.getNames();
        }

        @Override
        public HealthEndpointGroup get(String name) {
            HealthEndpointGroup group = delegate.get(name);
            return group != null && GROUP.equals(name) ? new WithGrpcChannels(group) : group;
        }

        @Override
        public List<String> getAdditionalPaths(EndpointId endpointId, WebServerNamespace webServerNamespace) {
            return delegate instanceof AdditionalPathsMapper mapper
                    ? mapper.getAdditionalPaths(endpointId, webServerNamespace) : null;
        }
    }

    /** A group that also includes {@code grpcChannels}; everything else is the group's own. */
    private record WithGrpcChannels(HealthEndpointGroup group) implements HealthEndpointGroup {

        /**
         * Boot asks about leaves by their full path: a composite's members as
         * {@code grpcChannels/<channel>}, never {@code grpcChannels} itself.
         */
        @Override
        public boolean isMember(String name) {
            return MEMBER.equals(name) || name.startsWith(MEMBER + "/") || group.isMember(name);
        }

        @Override
        public boolean showComponents(SecurityContext securityContext) {
            return group.showComponents(securityContext);
        }

        @Override
        public boolean showDetails(SecurityContext securityContext) {
            return group.showDetails(securityContext);
        }

        @Override
        public StatusAggregator getStatusAggregator() {
            return group.getStatusAggregator();
        }

        @Override
        public HttpCodeStatusMapper getHttpCodeStatusMapper() {
            return group.getHttpCodeStatusMapper();
        }

        @Override
        public AdditionalHealthEndpointPath getAdditionalPath() {
            return group.getAdditionalPath();
        }
    }
}
