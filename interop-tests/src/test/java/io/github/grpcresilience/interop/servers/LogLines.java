package io.github.grpcresilience.interop.servers;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * The ERROR lines logged while it is attached, each with its timestamp. Attached to the root
 * logger after a {@link StarterClient} has started (starting re-initialises logback).
 */
final class LogLines extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    /** One logged line and when it was logged. */
    record Line(Instant at, String level, String message) {
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private LogLines() {
    }

    /** Starts collecting ERROR lines from every logger. */
    static LogLines errors() {
        LogLines appender = new LogLines();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        appender.setContext(root.getLoggerContext());
        appender.start();
        root.addAppender(appender);
        return appender;
    }

    /** The first line so far that contains {@code text}. */
    Optional<Line> find(String text) {
        return lines.stream().filter(line -> line.message().contains(text)).findFirst();
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
            lines.add(new Line(event.getInstant(), event.getLevel().toString(), event.getFormattedMessage()));
        }
    }

    @Override
    public void close() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(this);
        stop();
    }
}
