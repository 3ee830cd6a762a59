package io.github.grpcresilience.interop.servers;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The ERROR lines logged in this JVM from the moment it was made, each with its timestamp. They are
 * collected by {@link Collector}, which {@code logback-test.xml} attaches to the root logger, so that
 * Spring Boot's re-initialisation of logback keeps it.
 */
final class LogLines {

    /** One logged line and when it was logged. */
    record Line(Instant at, String level, String message) {
    }

    private static final List<Line> ERRORS = new CopyOnWriteArrayList<>();

    private final Instant since;

    private LogLines(Instant since) {
        this.since = since;
    }

    /** The ERROR lines from every logger, from now on. */
    static LogLines errors() {
        return new LogLines(Instant.now());
    }

    /** The first line so far that contains {@code text}. */
    Optional<Line> find(String text) {
        return ERRORS.stream()
                .filter(line -> !line.at().isBefore(since) && line.message().contains(text))
                .findFirst();
    }

    /** The appender {@code logback-test.xml} declares. */
    public static final class Collector extends AppenderBase<ILoggingEvent> {

        @Override
        protected void append(ILoggingEvent event) {
            if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
                ERRORS.add(new Line(event.getInstant(), event.getLevel().toString(), event.getFormattedMessage()));
            }
        }
    }
}
