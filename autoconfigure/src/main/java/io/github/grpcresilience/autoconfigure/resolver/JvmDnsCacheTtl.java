package io.github.grpcresilience.autoconfigure.resolver;

import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.autoconfigure.InvalidGrpcResiliencePropertyException;
import io.github.grpcresilience.autoconfigure.PropertyChecks;
import io.github.grpcresilience.keepalive.Durations;
import java.security.Security;
import java.time.Duration;
import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Sets the JVM's DNS cache TTL (security property {@code networkaddress.cache.ttl}) to
 * {@code grpc.resilience.client.jvm-dns-cache.ttl} (5 s) at startup, and says so in one log line.
 * The JVM keeps every successful lookup for 30 s by default, whatever TTL the name server gives
 * (5 s in Kubernetes): below a {@code dns:} channel's re-resolution, that cache alone would make
 * a new backend wait up to 30 s.
 *
 * <p>It is a JVM-wide setting, so the starter never overrides one the application made
 * ({@code networkaddress.cache.ttl}, or {@code -Dsun.net.inetaddr.ttl}); it warns instead where that
 * setting keeps new backends waiting longer than its own would. The JVM reads the setting once, at
 * its first host-name lookup: this runs before the application context exists, but a lookup made
 * before Spring Boot starts keeps the JVM's default (the README says to set it on the command line
 * then).
 */
public class JvmDnsCacheTtl implements EnvironmentPostProcessor, Ordered {

    static final String PREFIX = GrpcResilienceProperties.PREFIX + ".client.jvm-dns-cache";
    static final String SECURITY_PROPERTY = "networkaddress.cache.ttl";
    static final String SYSTEM_PROPERTY = "sun.net.inetaddr.ttl";
    /** The JVM's TTL when neither property is set and no security manager is installed. */
    static final long JVM_DEFAULT_SECONDS = 30;

    /** The two JVM settings, behind an interface so that tests need not change the test JVM's. */
    interface JvmSettings {
        String securityProperty();

        String systemProperty();

        void setSecurityProperty(String value);
    }

    private static final JvmSettings JVM = new JvmSettings() {
        @Override
        public String securityProperty() {
            return Security.getProperty(SECURITY_PROPERTY);
        }

        @Override
        public String systemProperty() {
            return System.getProperty(SYSTEM_PROPERTY);
        }

        @Override
        public void setSecurityProperty(String value) {
            Security.setProperty(SECURITY_PROPERTY, value);
        }
    };

    private final Log log;
    private final JvmSettings jvm;

    public JvmDnsCacheTtl(DeferredLogFactory logFactory) {
        this(logFactory.getLog(JvmDnsCacheTtl.class), JVM);
    }

    JvmDnsCacheTtl(Log log, JvmSettings jvm) {
        this.log = log;
        this.jvm = jvm;
    }

    /** After the application's configuration files are read, so that settings there count. */
    @Override
    public int getOrder() {
        return ConfigDataEnvironmentPostProcessor.ORDER + 1;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty(GrpcResilienceProperties.PREFIX + ".enabled", Boolean.class, true)) {
            return;
        }
        GrpcResilienceProperties.Client.JvmDnsCache settings = Binder.get(environment)
                .bind(PREFIX, GrpcResilienceProperties.Client.JvmDnsCache.class)
                .orElseGet(GrpcResilienceProperties.Client.JvmDnsCache::new);
        check(settings.getTtl());
        if (settings.isEnabled()) {
            apply(settings.getTtl().toSeconds());
        }
    }

    static void check(Duration ttl) {
        String property = PREFIX + ".ttl";
        PropertyChecks.notNegative(property, ttl, "5s");
        if (ttl.toNanos() % 1_000_000_000L != 0) {
            throw new InvalidGrpcResiliencePropertyException(property, Durations.format(ttl),
                    "the JVM takes its DNS cache TTL in whole seconds",
                    "Set " + property + " to a whole number of seconds, e.g. " + Math.max(1, ttl.toSeconds()) + "s.");
        }
    }

    private void apply(long seconds) {
        String security = jvm.securityProperty();
        String system = jvm.systemProperty();
        if (security == null && system == null) {
            jvm.setSecurityProperty(Long.toString(seconds));
            log.info("Set the JVM's DNS cache TTL (security property " + SECURITY_PROPERTY + ") to " + seconds
                    + "s from the JVM's default of " + JVM_DEFAULT_SECONDS + "s, for every host name, so that dns: "
                    + "channels see new backends within " + seconds + "s + 1.2 x resolver.refresh-interval; "
                    + PREFIX + ".enabled=false keeps the JVM's default");
            return;
        }
        if (Long.toString(seconds).equals(security)) {
            return; // set by an earlier application in this JVM, or to the same value by this one
        }
        String setting = security != null ? SECURITY_PROPERTY + "=" + security : "-D" + SYSTEM_PROPERTY + "=" + system;
        long applied = parse(security != null ? security : system);
        if (applied < 0) {
            log.warn("The JVM caches DNS answers forever (" + setting + "): dns: channels never see new "
                    + "backends or lose removed ones by re-resolution. Set it to " + seconds
                    + " (Kubernetes' DNS TTL is 5), or remove it and let grpc-resilience set " + seconds + "s");
        } else if (applied > seconds) {
            log.warn("The JVM caches DNS answers for " + applied + "s (" + setting + "): dns: channels may see new "
                    + "backends up to " + applied + "s + 1.2 x resolver.refresh-interval after they appear in DNS. "
                    + "Lower it to " + seconds + ", or remove it and let grpc-resilience set " + seconds + "s");
        }
    }

    /** The JVM's reading of a TTL: a number of seconds, negative for forever, the default if unreadable. */
    private static long parse(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return JVM_DEFAULT_SECONDS;
        }
    }
}
