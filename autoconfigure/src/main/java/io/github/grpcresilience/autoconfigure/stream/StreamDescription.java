package io.github.grpcresilience.autoconfigure.stream;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.github.grpcresilience.keepalive.Durations;
import io.github.grpcresilience.stream.ResilientStream;
import io.github.grpcresilience.stream.StreamSettings;
import java.util.List;

/**
 * One stream in the {@code streams} section of the {@code grpc} endpoint: its status (inline) and
 * the settings it runs with. Durations read like the properties, e.g. {@code 20s}.
 *
 * @param status what the stream is doing, rendered as this object's own fields
 * @param settings its effective settings
 */
public record StreamDescription(@JsonUnwrapped StreamStatus status, Settings settings) {

    /**
     * @param reconnect how it reconnects
     * @param outboundBuffer what it does with messages sent while it is down
     */
    public record Settings(Reconnect reconnect, OutboundBuffer outboundBuffer) {
    }

    /**
     * @param initialBackoff the first wait
     * @param maxBackoff the longest wait
     * @param multiplier the growth of each wait
     * @param jitter the random share of each wait
     * @param maxAttempts a number, or {@code unlimited}
     * @param checkInterval how often the stream's channel is checked
     * @param retryableStatusCodes the codes that lead to a reconnect, sorted
     */
    public record Reconnect(String initialBackoff, String maxBackoff, double multiplier, double jitter,
            Object maxAttempts, String checkInterval, List<String> retryableStatusCodes) {
    }

    /**
     * @param capacity messages it holds
     * @param overflow what happens when it is full
     */
    public record OutboundBuffer(int capacity, String overflow) {
    }

    static StreamDescription of(ResilientStream<?, ?> stream) {
        StreamSettings settings = stream.settings();
        Reconnect reconnect = new Reconnect(Durations.format(settings.backoff().initial()),
                Durations.format(settings.backoff().max()), settings.backoff().multiplier(),
                settings.backoff().jitter(), settings.maxAttempts() == 0 ? "unlimited" : settings.maxAttempts(),
                Durations.format(settings.checkInterval()),
                settings.retryableCodes().stream().map(Enum::name).sorted().toList());
        OutboundBuffer buffer = new OutboundBuffer(settings.bufferCapacity(), settings.overflow().name());
        return new StreamDescription(StreamStatus.of(stream), new Settings(reconnect, buffer));
    }
}
