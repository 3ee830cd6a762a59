package io.github.grpcresilience.autoconfigure.stream;

import io.github.grpcresilience.stream.StreamSupervisor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;

/**
 * Closes every supervised stream as soon as the application starts to stop, before its server
 * drains and before net.devh shuts its channels down. A supervised stream is the application's own
 * subscription: left open it would be re-opened against a closing channel ("Channel shutdownNow
 * invoked"), hold net.devh's channel shutdown grace period (30 s by default) as a running call, and,
 * where the application serves the stream itself, count as a running call that its own server
 * drain waits for and finally reports as cut.
 */
final class StreamsClosedOnShutdown implements ApplicationListener<ContextClosedEvent>, Ordered {

    private static final Logger log = LoggerFactory.getLogger(StreamsClosedOnShutdown.class);

    private final StreamSupervisor supervisor;
    private final ApplicationContext context;

    StreamsClosedOnShutdown(StreamSupervisor supervisor, ApplicationContext context) {
        this.supervisor = supervisor;
        this.context = context;
    }

    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        if (event.getApplicationContext() != context) {
            return;
        }
        int open = supervisor.streams().size();
        supervisor.close();
        if (open > 0) {
            log.info("gRPC streams: closed {} supervised stream(s) as the application stops, before its server "
                    + "drains and its channels close", open);
        }
    }

    /** Before the server drain, which listens to the same event. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
