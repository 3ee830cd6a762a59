package io.github.grpcresilience.autoconfigure.keepalive;

import io.github.grpcresilience.autoconfigure.ConfiguredProperties;
import io.github.grpcresilience.autoconfigure.GrpcResilienceProperties;
import io.github.grpcresilience.autoconfigure.PropertyChecks;
import io.github.grpcresilience.autoconfigure.adapter.UnderlyingGrpcSettings;
import io.github.grpcresilience.autoconfigure.adapter.UnderlyingGrpcSettings.Explicit;
import io.github.grpcresilience.autoconfigure.adapter.UnderlyingGrpcSettings.ServerOption;
import io.github.grpcresilience.keepalive.KeepAliveLimits;
import io.github.grpcresilience.keepalive.ServerKeepAlivePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The server's keepalive, permit and connection-age settings in force: the starter's properties,
 * and the underlying starter's where the user set them explicitly (the same rule as for channels:
 * an explicit underlying value wins over the starter's default; both explicit, the starter's wins
 * and the overlap is reported). Validated when resolved.
 *
 * @param policy what the starter applies to the builder (null fields leave the underlying starter's value)
 * @param permitTime the permit-keepalive time in force
 * @param permitWithoutCalls the permit-without-calls in force
 * @param overlaps warnings for options set both in the underlying starter and in the starter
 */
public record ServerKeepAliveSettings(ServerKeepAlivePolicy policy, Duration permitTime, boolean permitWithoutCalls,
        List<String> overlaps) {

    static final String PREFIX = GrpcResilienceProperties.PREFIX + ".server";

    /** Validates the starter's server properties and resolves them against the underlying starter's. */
    public static ServerKeepAliveSettings resolve(GrpcResilienceProperties.Server ours, ConfiguredProperties configured,
            UnderlyingGrpcSettings underlying) {
        check(ours);
        List<String> overlaps = new ArrayList<>();
        Chooser choose = new Chooser(configured, underlying, overlaps);
        Optional<Explicit<Boolean>> enabled = underlying.server(ServerOption.KEEPALIVE_ENABLED, Boolean.class);
        // net.devh's keepalive switched off explicitly owns time and timeout
        boolean theirsOff = enabled.isPresent() && !enabled.get().value();
        Duration time = choose.option("keepalive.time", ours.getKeepalive().getTime(), ServerOption.KEEPALIVE_TIME,
                enabled.isPresent(), theirsOff);
        Duration timeout = choose.option("keepalive.timeout", ours.getKeepalive().getTimeout(),
                ServerOption.KEEPALIVE_TIMEOUT, enabled.isPresent(), theirsOff);
        Duration permitTime = choose.option("permit-keepalive.time", ours.getPermitKeepalive().getTime(),
                ServerOption.PERMIT_KEEPALIVE_TIME, true, false);
        Boolean permitWithoutCalls = choose.option("permit-keepalive.without-calls",
                ours.getPermitKeepalive().isWithoutCalls(), ServerOption.PERMIT_KEEPALIVE_WITHOUT_CALLS, true, false);
        Duration maxIdle = choose.option("connection.max-idle", ours.getConnection().getMaxIdle(),
                ServerOption.MAX_CONNECTION_IDLE, true, false);
        Duration maxAge = choose.option("connection.max-age", ours.getConnection().getMaxAge(),
                ServerOption.MAX_CONNECTION_AGE, true, false);
        Duration maxAgeGrace = choose.option("connection.max-age-grace", ours.getConnection().getMaxAgeGrace(),
                ServerOption.MAX_CONNECTION_AGE_GRACE, true, false);
        if (maxAgeGrace == null && underlying.server(ServerOption.MAX_CONNECTION_AGE_GRACE, Duration.class).isEmpty()) {
            // Unset means running calls are never cut after max-age: grpc-java's default, but not
            // every integration's (Spring Boot 4.1 sets 30 s unless told otherwise), so say it.
            maxAgeGrace = ServerKeepAlivePolicy.UNLIMITED_GRACE;
        }
        ServerKeepAlivePolicy policy = new ServerKeepAlivePolicy(time, timeout, permitTime, permitWithoutCalls,
                maxIdle, maxAge, maxAgeGrace);
        Duration effectivePermit = permitTime != null ? permitTime
                : underlying.server(ServerOption.PERMIT_KEEPALIVE_TIME, Duration.class).map(Explicit::value)
                        .orElse(KeepAliveLimits.DEFAULT_SERVER_PERMIT_TIME);
        boolean effectivePermitWithoutCalls = permitWithoutCalls != null ? permitWithoutCalls
                : underlying.server(ServerOption.PERMIT_KEEPALIVE_WITHOUT_CALLS, Boolean.class).map(Explicit::value)
                        .orElse(false);
        return new ServerKeepAliveSettings(policy, effectivePermit, effectivePermitWithoutCalls, List.copyOf(overlaps));
    }

    private static void check(GrpcResilienceProperties.Server server) {
        PropertyChecks.positive(PREFIX + ".keepalive.time", server.getKeepalive().getTime(), "20s");
        PropertyChecks.positive(PREFIX + ".keepalive.timeout", server.getKeepalive().getTimeout(), "20s");
        PropertyChecks.positive(PREFIX + ".permit-keepalive.time", server.getPermitKeepalive().getTime(), "20s");
        GrpcResilienceProperties.Server.Connection connection = server.getConnection();
        if (connection.getMaxIdle() != null) {
            PropertyChecks.positive(PREFIX + ".connection.max-idle", connection.getMaxIdle(), "20s");
        }
        if (connection.getMaxAge() != null) {
            PropertyChecks.positive(PREFIX + ".connection.max-age", connection.getMaxAge(), "20s");
        }
        if (connection.getMaxAgeGrace() != null) {
            PropertyChecks.positive(PREFIX + ".connection.max-age-grace", connection.getMaxAgeGrace(), "20s");
        }
    }

    /** Decides, option by option, whether the starter's value or the underlying starter's applies. */
    private record Chooser(ConfiguredProperties configured, UnderlyingGrpcSettings underlying, List<String> overlaps) {

        /**
         * @param applies whether the underlying option counts at all (keepalive options only once
         *        the underlying keepalive switch is set)
         * @param ownedByTheirSwitch whether the underlying switch itself (set to off) is what is explicit
         * @return the starter's value, or null to leave the underlying starter's in force
         */
        <T> T option(String key, T ours, ServerOption option, boolean applies, boolean ownedByTheirSwitch) {
            Optional<String> theirs = !applies ? Optional.empty()
                    : ownedByTheirSwitch
                            ? underlying.server(ServerOption.KEEPALIVE_ENABLED, String.class).map(Explicit::property)
                            : underlying.server(option, String.class).map(Explicit::property);
            if (theirs.isEmpty()) {
                return ours;
            }
            String ourName = PREFIX + "." + key;
            if (!configured.isSet(ourName)) {
                return null;
            }
            overlaps.add(ourName + " overrides " + theirs.get()
                    + "; remove one of them so the configuration says one thing");
            return ours;
        }
    }
}
