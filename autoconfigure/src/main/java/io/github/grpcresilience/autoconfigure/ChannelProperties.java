package io.github.grpcresilience.autoconfigure;

import io.github.grpcresilience.autoconfigure.serviceconfig.CallProperties;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.util.unit.DataSize;

/**
 * Resilience settings of one client channel. The same class holds
 * {@code grpc.resilience.client.defaults} (with the production defaults below) and each
 * {@code grpc.resilience.client.channels.<name>} entry; a channel's effective settings are the
 * defaults with the channel's own keys bound on top, field by field. Retry, hedging, timeout and
 * wait-for-ready ({@link CallProperties}) apply to every method unless a {@code methods} entry
 * says otherwise.
 */
public class ChannelProperties extends CallProperties {

    /** Kernel TCP keepalive on the channel's sockets: finds a dead peer without any server permission. */
    private final TcpKeepalive tcpKeepalive = new TcpKeepalive();

    /** HTTP/2 keepalive pings: find a hung peer process, but are policed by the server. */
    private final Keepalive keepalive = new Keepalive();

    /** Idle time after which the channel closes its connections; unset keeps grpc-java's 30 minutes. */
    private Duration idleTimeout;

    /** What is known about the network path to the server. */
    private final Network network = new Network();

    /** How the channel's connectivity maps to actuator health. */
    private final Health health = new Health();

    /** Stops retries and hedges while too many calls of the channel fail. */
    private final RetryThrottling retryThrottling = new RetryThrottling();

    /**
     * Load-balancing policy over the addresses the target resolves to: round_robin spreads calls
     * over every backend (pick_first uses one).
     */
    private String loadBalancingPolicy = "round_robin";

    /** Client-side health checking of each backend through grpc.health.v1 (needs round_robin). */
    private final HealthCheck healthCheck = new HealthCheck();

    /** Name resolution of dns: targets. */
    private final Resolver resolver = new Resolver();

    /**
     * Per-method settings by package.Service/Method or package.Service/*, written in brackets in
     * YAML ("[control.ControlPlane/GetConfig]"); each entry takes the keys timeout,
     * wait-for-ready, retry.* and hedging.* and inherits the channel's values field by field.
     */
    private final Map<String, CallProperties> methods = new LinkedHashMap<>();

    /** Channel-wide limits of retry and hedging. */
    private final Limits limits = new Limits();

    /**
     * Several connections behind the channel, for more concurrent calls than one connection's
     * MAX_CONCURRENT_STREAMS lets through; off unless max-size is above 1.
     */
    private final Pool pool = new Pool();

    public Pool getPool() {
        return pool;
    }

    public RetryThrottling getRetryThrottling() {
        return retryThrottling;
    }

    public String getLoadBalancingPolicy() {
        return loadBalancingPolicy;
    }

    public void setLoadBalancingPolicy(String loadBalancingPolicy) {
        this.loadBalancingPolicy = loadBalancingPolicy;
    }

    public HealthCheck getHealthCheck() {
        return healthCheck;
    }

    public Resolver getResolver() {
        return resolver;
    }

    public Map<String, CallProperties> getMethods() {
        return methods;
    }

    public Limits getLimits() {
        return limits;
    }

    public TcpKeepalive getTcpKeepalive() {
        return tcpKeepalive;
    }

    public Keepalive getKeepalive() {
        return keepalive;
    }

    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public Network getNetwork() {
        return network;
    }

    public Health getHealth() {
        return health;
    }

    /** Kernel TCP keepalive ({@code SO_KEEPALIVE}, {@code TCP_KEEPIDLE}, {@code TCP_KEEPINTVL}, {@code TCP_KEEPCNT}). */
    public static class TcpKeepalive {

        /** Whether to set kernel TCP keepalive on the channel's sockets. */
        private boolean enabled = true;

        /** Quiet time before the first probe (whole seconds); the kernel default is 2 hours. */
        private Duration idle = Duration.ofSeconds(20);

        /** Time between unanswered probes (whole seconds). */
        private Duration interval = Duration.ofSeconds(5);

        /**
         * Unanswered probes after which the kernel drops the connection, where user-timeout is at
         * least idle + interval x count (with the default user-timeout, the first unanswered
         * probe past it ends the connection).
         */
        private int count = 3;

        /**
         * Longest time sent data may stay unacknowledged before the kernel drops the connection
         * (TCP_USER_TIMEOUT, epoll only); unset means idle, so a peer lost while calls are in
         * flight is found sooner than an idle one. Linux also ends a probed idle connection once
         * this has passed and one probe went unanswered: below idle + interval x count it, not
         * count, decides when.
         */
        private Duration userTimeout;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getIdle() {
            return idle;
        }

        public void setIdle(Duration idle) {
            this.idle = idle;
        }

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public int getCount() {
            return count;
        }

        public void setCount(int count) {
            this.count = count;
        }

        public Duration getUserTimeout() {
            return userTimeout;
        }

        public void setUserTimeout(Duration userTimeout) {
            this.userTimeout = userTimeout;
        }
    }

    /** HTTP/2 keepalive pings sent by the client. */
    public static class Keepalive {

        /** Whether the client sends HTTP/2 keepalive pings at all. */
        private boolean enabled = true;

        /**
         * Time without reads before the client pings. 5m is the smallest interval that grpc-java,
         * Go and C-core servers permit by default; lower it only for servers that permit more
         * (30s for a server that uses this starter).
         */
        private Duration time = Duration.ofMinutes(5);

        /** Time to wait for the ping's acknowledgement before the connection is closed. */
        private Duration timeout = Duration.ofSeconds(20);

        /** Whether to ping while no call is open; most servers forbid it by default. */
        private boolean withoutCalls = false;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

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

        public boolean isWithoutCalls() {
            return withoutCalls;
        }

        public void setWithoutCalls(boolean withoutCalls) {
            this.withoutCalls = withoutCalls;
        }
    }

    /** The network path between client and server. */
    public static class Network {

        /**
         * Smallest idle timeout of any L4 load balancer or NAT on the path, as a duration or a
         * preset (aws-nlb = 350s, azure-lb = 4m, gcp-lb = 10m); the fastest keepalive layer must
         * be below it. Unset means not checked. aws-alb is rejected: an ALB terminates HTTP/2, so
         * no keepalive reaches the target.
         */
        private String idleTimeout;

        public String getIdleTimeout() {
            return idleTimeout;
        }

        public void setIdleTimeout(String idleTimeout) {
            this.idleTimeout = idleTimeout;
        }
    }

    /** Health of the channel in {@code /actuator/health/grpcChannels/<name>}. */
    public static class Health {

        /**
         * How long the channel may be CONNECTING, counted from the last time it was READY or
         * IDLE, before it reports DOWN.
         */
        private Duration connectingGrace = Duration.ofSeconds(30);

        /**
         * How long the channel may be in TRANSIENT_FAILURE, counted from the last time it was
         * READY or IDLE, before it reports DOWN.
         */
        private Duration transientFailureGrace = Duration.ofSeconds(15);

        /**
         * Whether the channel's DOWN turns the aggregate health DOWN; a non-critical channel
         * reports its state in the details only.
         */
        private boolean critical = true;

        public Duration getConnectingGrace() {
            return connectingGrace;
        }

        public void setConnectingGrace(Duration connectingGrace) {
            this.connectingGrace = connectingGrace;
        }

        public Duration getTransientFailureGrace() {
            return transientFailureGrace;
        }

        public void setTransientFailureGrace(Duration transientFailureGrace) {
            this.transientFailureGrace = transientFailureGrace;
        }

        public boolean isCritical() {
            return critical;
        }

        public void setCritical(boolean critical) {
            this.critical = critical;
        }
    }

    /** Retry throttling (gRPC's token bucket per channel). */
    public static class RetryThrottling {

        /** Whether retries and hedges stop while too many calls fail. */
        private boolean enabled = true;

        /**
         * Size of the bucket: each failed attempt costs 1, retries stop below half of it; in (0, 1000].
         * 100, not gRPC's example of 10: a crashed backend fails every call it was running at once,
         * and with 10 the sixth of them is no longer retried (measured at 300 calls/s); 50 failures
         * without successes still stop retries.
         */
        private double maxTokens = 100;

        /** Tokens each successful call returns to the bucket. */
        private double tokenRatio = 0.1;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public double getMaxTokens() {
            return maxTokens;
        }

        public void setMaxTokens(double maxTokens) {
            this.maxTokens = maxTokens;
        }

        public double getTokenRatio() {
            return tokenRatio;
        }

        public void setTokenRatio(double tokenRatio) {
            this.tokenRatio = tokenRatio;
        }
    }

    /** Client-side health checking. */
    public static class HealthCheck {

        /**
         * Whether the channel watches grpc.health.v1 on every backend and sends no calls to one that
         * reports NOT_SERVING; a backend without the health service counts as healthy.
         */
        private boolean enabled = false;

        /** The service name to watch; empty means the whole server. */
        private String serviceName = "";

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getServiceName() {
            return serviceName;
        }

        public void setServiceName(String serviceName) {
            this.serviceName = serviceName;
        }
    }

    /** Name resolution. */
    public static class Resolver {

        /**
         * Whether dns: targets are re-resolved every refresh-interval, so new backends get calls
         * without waiting for a connection to close.
         */
        private boolean periodicRefresh = true;

        /**
         * Time between lookups of a dns: target (plus up to 20 % jitter), and the least time
         * between two, also when connections close; at least 1s. A new address is used at most
         * grpc.resilience.client.jvm-dns-cache.ttl + 1.2 times this after the name server returns it.
         */
        private Duration refreshInterval = Duration.ofSeconds(5);

        public boolean isPeriodicRefresh() {
            return periodicRefresh;
        }

        public void setPeriodicRefresh(boolean periodicRefresh) {
            this.periodicRefresh = periodicRefresh;
        }

        public Duration getRefreshInterval() {
            return refreshInterval;
        }

        public void setRefreshInterval(Duration refreshInterval) {
            this.refreshInterval = refreshInterval;
        }
    }

    /** Limits grpc-java applies to retry and hedging on the channel. */
    public static class Limits {

        /** Largest retry max-attempts the channel honours (grpc-java caps larger values silently). */
        private int maxRetryAttempts = 5;

        /** Largest hedging max-attempts the channel honours (grpc-java caps larger values silently). */
        private int maxHedgedAttempts = 5;

        /** Memory all calls of the channel may use to keep sent messages for a retry. */
        private DataSize retryBufferSize = DataSize.ofMegabytes(16);

        /** Memory one call may use to keep sent messages for a retry; beyond it the call is not retried. */
        private DataSize perRpcBufferLimit = DataSize.ofMegabytes(1);

        public int getMaxRetryAttempts() {
            return maxRetryAttempts;
        }

        public void setMaxRetryAttempts(int maxRetryAttempts) {
            this.maxRetryAttempts = maxRetryAttempts;
        }

        public int getMaxHedgedAttempts() {
            return maxHedgedAttempts;
        }

        public void setMaxHedgedAttempts(int maxHedgedAttempts) {
            this.maxHedgedAttempts = maxHedgedAttempts;
        }

        public DataSize getRetryBufferSize() {
            return retryBufferSize;
        }

        public void setRetryBufferSize(DataSize retryBufferSize) {
            this.retryBufferSize = retryBufferSize;
        }

        public DataSize getPerRpcBufferLimit() {
            return perRpcBufferLimit;
        }

        public void setPerRpcBufferLimit(DataSize perRpcBufferLimit) {
            this.perRpcBufferLimit = perRpcBufferLimit;
        }
    }

    /**
     * A pool of connections (each a channel built with this channel's settings) behind the one
     * channel: calls beyond one connection's MAX_CONCURRENT_STREAMS run instead of queueing.
     */
    public static class Pool {

        /** Connections the pool never goes below; they connect on first use, as a single channel does. */
        private int minSize = 1;

        /** Connections the pool may grow to; 1 means no pool (net.devh's single channel). */
        private int maxSize = 1;

        /**
         * Average in-flight calls per connection above which the pool grows (at once, not at the
         * next resize); keep it below the server's or proxy's MAX_CONCURRENT_STREAMS (often 100).
         */
        private int maxConcurrentCallsPerConnection = 80;

        /**
         * Average in-flight calls per connection below which the pool shrinks; 0 never shrinks;
         * unset means a quarter of max-concurrent-calls-per-connection (20 for 80).
         */
        private Integer minCallsPerConnection;

        /** How often the pool sizes itself for the peak in-flight calls since the last resize. */
        private Duration resizeInterval = Duration.ofSeconds(10);

        /** Connections added or removed per resize at most. */
        private int maxResizeStep = 2;

        /**
         * Age after which a connection is replaced, one per resize, the old one finishing its calls
         * first (spreads connections over new backends); unset never replaces a healthy one.
         */
        private Duration refreshInterval;

        public int getMinSize() {
            return minSize;
        }

        public void setMinSize(int minSize) {
            this.minSize = minSize;
        }

        public int getMaxSize() {
            return maxSize;
        }

        public void setMaxSize(int maxSize) {
            this.maxSize = maxSize;
        }

        public int getMaxConcurrentCallsPerConnection() {
            return maxConcurrentCallsPerConnection;
        }

        public void setMaxConcurrentCallsPerConnection(int maxConcurrentCallsPerConnection) {
            this.maxConcurrentCallsPerConnection = maxConcurrentCallsPerConnection;
        }

        public Integer getMinCallsPerConnection() {
            return minCallsPerConnection;
        }

        /** The configured minimum, else a quarter of the maximum. */
        public int effectiveMinCallsPerConnection() {
            return minCallsPerConnection != null ? minCallsPerConnection : maxConcurrentCallsPerConnection / 4;
        }

        public void setMinCallsPerConnection(Integer minCallsPerConnection) {
            this.minCallsPerConnection = minCallsPerConnection;
        }

        public Duration getResizeInterval() {
            return resizeInterval;
        }

        public void setResizeInterval(Duration resizeInterval) {
            this.resizeInterval = resizeInterval;
        }

        public int getMaxResizeStep() {
            return maxResizeStep;
        }

        public void setMaxResizeStep(int maxResizeStep) {
            this.maxResizeStep = maxResizeStep;
        }

        public Duration getRefreshInterval() {
            return refreshInterval;
        }

        public void setRefreshInterval(Duration refreshInterval) {
            this.refreshInterval = refreshInterval;
        }
    }
}
