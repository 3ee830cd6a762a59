package io.github.grpcresilience.autoconfigure;

import io.github.grpcresilience.autoconfigure.stream.StreamProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/** Configuration of grpc-resilience, under {@code grpc.resilience}. */
@ConfigurationProperties(GrpcResilienceProperties.PREFIX)
public class GrpcResilienceProperties {

    public static final String PREFIX = "grpc.resilience";

    /** Whether the starter configures anything at all. */
    private boolean enabled = true;

    /** Client channels created by net.devh ({@code @GrpcClient}). */
    private final Client client = new Client();

    /** The gRPC server created by net.devh. */
    private final Server server = new Server();

    /** Long-lived streams that re-establish themselves ({@code StreamSupervisor}). */
    private final Streams streams = new Streams();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Client getClient() {
        return client;
    }

    public Server getServer() {
        return server;
    }

    public Streams getStreams() {
        return streams;
    }

    /** Resilient stream settings. */
    public static class Streams {

        /** Settings every stream inherits, field by field. */
        @NestedConfigurationProperty
        private final StreamProperties defaults = new StreamProperties();

        /**
         * Per-stream overrides, by the stream's name; the same keys as
         * grpc.resilience.streams.defaults, set only where the stream differs from the defaults.
         */
        private final Map<String, StreamProperties> instances = new LinkedHashMap<>();

        public StreamProperties getDefaults() {
            return defaults;
        }

        public Map<String, StreamProperties> getInstances() {
            return instances;
        }
    }

    /** Client channel settings. */
    public static class Client {

        /** Settings every channel inherits, field by field. */
        @NestedConfigurationProperty
        private final ChannelProperties defaults = new ChannelProperties();

        /**
         * Per-channel overrides, by net.devh client name (@GrpcClient("inventory") is
         * channels.inventory); the same keys as grpc.resilience.client.defaults, set only where the
         * channel differs from the defaults.
         */
        private final Map<String, ChannelProperties> channels = new LinkedHashMap<>();

        /** The JVM's own cache of host-name lookups, below every dns: channel's re-resolution. */
        private final JvmDnsCache jvmDnsCache = new JvmDnsCache();

        public ChannelProperties getDefaults() {
            return defaults;
        }

        public Map<String, ChannelProperties> getChannels() {
            return channels;
        }

        public JvmDnsCache getJvmDnsCache() {
            return jvmDnsCache;
        }

        /**
         * The JVM caches every successful host-name lookup for 30s (when no security manager is
         * installed) whatever TTL the name server gives, so without a shorter cache a dns:
         * channel sees a new backend up to 30s late however often it re-resolves.
         */
        public static class JvmDnsCache {

            /**
             * Whether the starter sets the JVM's DNS cache TTL (security property
             * networkaddress.cache.ttl) to ttl at startup. It never overrides networkaddress.cache.ttl
             * or sun.net.inetaddr.ttl set by the application or the command line, and the JVM reads
             * the setting once, at its first host-name lookup.
             */
            private boolean enabled = true;

            /**
             * How long the JVM keeps a successful lookup, for every host name it resolves; whole
             * seconds, 0s for no cache. 5s is the TTL Kubernetes' DNS answers with.
             */
            private Duration ttl = Duration.ofSeconds(5);

            public boolean isEnabled() {
                return enabled;
            }

            public void setEnabled(boolean enabled) {
                this.enabled = enabled;
            }

            public Duration getTtl() {
                return ttl;
            }

            public void setTtl(Duration ttl) {
                this.ttl = ttl;
            }
        }
    }

    /** Server settings. */
    public static class Server {

        /** Server keepalive pings: find dead clients and keep idle connections open through middleboxes. */
        private final Keepalive keepalive = new Keepalive();

        /** What the server tolerates from clients' keepalive pings. */
        private final PermitKeepalive permitKeepalive = new PermitKeepalive();

        /** Connection lifetime limits. */
        private final Connection connection = new Connection();

        /** The grpc.health.v1 service: what each service name reports. */
        private final Health health = new Health();

        /** What happens to the server when the application closes (SIGTERM). */
        private final Shutdown shutdown = new Shutdown();

        public Health getHealth() {
            return health;
        }

        public Shutdown getShutdown() {
            return shutdown;
        }

        public Keepalive getKeepalive() {
            return keepalive;
        }

        public PermitKeepalive getPermitKeepalive() {
            return permitKeepalive;
        }

        public Connection getConnection() {
            return connection;
        }

        /** Server keepalive pings. */
        public static class Keepalive {

            /** Time without reads before the server pings the client (grpc-java's default is 2h). */
            private Duration time = Duration.ofSeconds(60);

            /** Time to wait for the ping's acknowledgement before the connection is closed. */
            private Duration timeout = Duration.ofSeconds(20);

            public Duration getTime() {
                return time;
            }

            public void setTime(Duration time) {
                this.time = time;
            }

            public Duration getTimeout() {
                return timeout;
            }

            public void setTimeout(Duration timeout) {
                this.timeout = timeout;
            }
        }

        /** Client ping policing. */
        public static class PermitKeepalive {

            /**
             * Most frequent client keepalive ping the server accepts; faster clients get GOAWAY
             * too_many_pings (grpc-java's default is 5m).
             */
            private Duration time = Duration.ofSeconds(10);

            /** Whether clients may ping while they have no call open (grpc-java's default is false). */
            private boolean withoutCalls = true;

            public Duration getTime() {
                return time;
            }

            public void setTime(Duration time) {
                this.time = time;
            }

            public boolean isWithoutCalls() {
                return withoutCalls;
            }

            public void setWithoutCalls(boolean withoutCalls) {
                this.withoutCalls = withoutCalls;
            }
        }

        /** Connection lifetime. */
        public static class Connection {

            /** Idle connections are closed after this time; unset means never. */
            private Duration maxIdle;

            /**
             * Connections are closed with GOAWAY max_age after this time (with jitter), so clients
             * re-resolve and spread over new instances; unset means never.
             */
            private Duration maxAge = Duration.ofMinutes(30);

            /** Time running calls get after max-age before they are cut; unset means unlimited. */
            private Duration maxAgeGrace;

            public Duration getMaxIdle() {
                return maxIdle;
            }

            public void setMaxIdle(Duration maxIdle) {
                this.maxIdle = maxIdle;
            }

            public Duration getMaxAge() {
                return maxAge;
            }

            public void setMaxAge(Duration maxAge) {
                this.maxAge = maxAge;
            }

            public Duration getMaxAgeGrace() {
                return maxAgeGrace;
            }

            public void setMaxAgeGrace(Duration maxAgeGrace) {
                this.maxAgeGrace = maxAgeGrace;
            }
        }
    
        /** grpc.health.v1 statuses. */
        public static class Health {

            /**
             * Health service names that follow actuator health contributors or groups instead of
             * readiness. Defaults: liveness and readiness, following the actuator groups of the same
             * names, so Kubernetes grpc probes work out of the box.
             */
            private final Map<String, MappedService> services = new LinkedHashMap<>(Map.of(
                    "liveness", new MappedService(List.of("liveness")),
                    "readiness", new MappedService(List.of("readiness"))));

            /** How often the mapped services are re-evaluated (readiness changes apply at once). */
            private Duration refreshInterval = Duration.ofSeconds(5);

            public Map<String, MappedService> getServices() {
                return services;
            }

            public Duration getRefreshInterval() {
                return refreshInterval;
            }

            public void setRefreshInterval(Duration refreshInterval) {
                this.refreshInterval = refreshInterval;
            }
        }

        /** One health service name backed by actuator health. */
        public static class MappedService {

            /**
             * Actuator health contributor names or groups; UP in all is SERVING, DOWN or
             * OUT_OF_SERVICE in any is NOT_SERVING, anything else UNKNOWN.
             */
            private List<String> include = new ArrayList<>();

            public MappedService() {
            }

            MappedService(List<String> include) {
                this.include = new ArrayList<>(include);
            }

            public List<String> getInclude() {
                return include;
            }

            public void setInclude(List<String> include) {
                this.include = include;
            }
        }

        /** Graceful shutdown. */
        public static class Shutdown {

            /**
             * Time between every health status turning NOT_SERVING and GOAWAY, while calls are still
             * served, so that load balancers and health-checking clients move away first.
             */
            private Duration drainDelay = Duration.ofSeconds(5);

            /** Time running calls get after GOAWAY before they are cut. */
            private Duration gracePeriod = Duration.ofSeconds(30);

            /**
             * Time the platform gives the process from SIGTERM to SIGKILL (Kubernetes'
             * terminationGracePeriodSeconds, 30s by default there). When set, the drain delay plus the
             * grace period must leave at least 5s of it for the rest of the shutdown, or the startup
             * fails: otherwise the kill cuts the calls the grace period was meant to let finish.
             */
            private Duration terminationGracePeriod;

            public Duration getDrainDelay() {
                return drainDelay;
            }

            public void setDrainDelay(Duration drainDelay) {
                this.drainDelay = drainDelay;
            }

            public Duration getGracePeriod() {
                return gracePeriod;
            }

            public void setGracePeriod(Duration gracePeriod) {
                this.gracePeriod = gracePeriod;
            }

            public Duration getTerminationGracePeriod() {
                return terminationGracePeriod;
            }

            public void setTerminationGracePeriod(Duration terminationGracePeriod) {
                this.terminationGracePeriod = terminationGracePeriod;
            }
        }
    }
}
