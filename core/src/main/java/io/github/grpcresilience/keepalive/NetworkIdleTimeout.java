package io.github.grpcresilience.keepalive;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The idle timeout of the L4 load balancer or NAT on a connection's path: a connection quiet for
 * longer is dropped without a FIN or RST. Either a duration or a named preset.
 *
 * @param value the timeout
 * @param preset the preset name it came from, or {@code null} for a plain duration
 */
public record NetworkIdleTimeout(Duration value, String preset) {

    /** Documented idle timeouts of common cloud load balancers. */
    public static final Map<String, Duration> PRESETS = Map.of(
            "aws-nlb", Duration.ofSeconds(350),
            "azure-lb", Duration.ofMinutes(4),
            "gcp-lb", Duration.ofMinutes(10));

    /**
     * Why {@code aws-alb} is not a preset: ALB terminates the client's HTTP/2 connection, so
     * neither keepalive layer reaches the target.
     */
    public static final String AWS_ALB_REASON = "AWS ALB terminates the client's HTTP/2 connection, "
            + "so neither TCP nor HTTP/2 keepalive reaches the target; compare ALB's idle timeout "
            + "with the quietest stream or send application-level heartbeats instead";

    /** The preset of that name, if there is one. */
    public static Optional<NetworkIdleTimeout> preset(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        Duration value = PRESETS.get(key);
        return value == null ? Optional.empty() : Optional.of(new NetworkIdleTimeout(value, key));
    }

    /** Describes the timeout for messages, e.g. {@code 350s (aws-nlb)}. */
    public String describe() {
        String seconds = value.toSeconds() + "s";
        return preset == null ? seconds : seconds + " (" + preset + ")";
    }
}
