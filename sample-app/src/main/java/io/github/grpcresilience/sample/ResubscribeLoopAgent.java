package io.github.grpcresilience.sample;

import io.github.grpcresilience.sample.proto.Ack;
import io.github.grpcresilience.sample.proto.AgentMessage;
import io.github.grpcresilience.sample.proto.ConfigUpdate;
import io.github.grpcresilience.sample.proto.ControlPlaneGrpc;
import io.github.grpcresilience.sample.proto.Hello;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import jakarta.annotation.PreDestroy;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.devh.boot.grpc.client.inject.GrpcClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The agent as applications write it without the starter, kept only as the baseline of
 * comparisons ({@code sample.reconnect=resubscribe-loop}, usually with
 * {@code grpc.resilience.enabled=false}): on any error or completion of the config stream,
 * subscribe again after a fixed 1 s. It says hello and acks like {@link Agent}, with the same log
 * lines, but an ack written to a call that has already broken is lost without notice.
 *
 * <p>Threads: a call's callbacks run on gRPC's executor, one at a time; re-subscribes run on one
 * scheduler thread.
 */
@Component
@Profile("!server")
@ConditionalOnProperty(prefix = "sample", name = "reconnect", havingValue = "resubscribe-loop")
public class ResubscribeLoopAgent {

    private static final Logger log = LoggerFactory.getLogger(ResubscribeLoopAgent.class);
    private static final long RESUBSCRIBE_DELAY_MILLIS = 1000;

    @GrpcClient("control-plane")
    private ControlPlaneGrpc.ControlPlaneStub stub;

    private final SampleProperties properties;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "resubscribe-loop");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong updates = new AtomicLong();
    private final AtomicLong acksAccepted = new AtomicLong();
    private final AtomicLong ackSequence = new AtomicLong();
    private volatile Subscription current;
    private volatile boolean stopped;

    public ResubscribeLoopAgent(SampleProperties properties) {
        this.properties = properties;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        scheduler.execute(this::subscribe);
    }

    private void subscribe() {
        if (stopped) {
            return;
        }
        Subscription subscription = new Subscription();
        current = subscription;
        stub.subscribe(subscription);
        subscription.send(AgentMessage.newBuilder()
                .setHello(Hello.newBuilder().setAgentId(properties.getAgentId())).build());
    }

    /** Cancels the call first so that no ack is accepted after the counts are logged. */
    @PreDestroy
    void stop() {
        stopped = true;
        scheduler.shutdownNow();
        Subscription subscription = current;
        if (subscription != null) {
            subscription.cancel();
        }
        log.info("Agent {} stops: {} acks accepted by the stream, {} handed back unsent", properties.getAgentId(),
                acksAccepted.get(), 0);
    }

    /** Updates received since start. */
    public long updatesReceived() {
        return updates.get();
    }

    /** Acks written to a call without an exception (whether they arrived is not known). */
    public long acksAccepted() {
        return acksAccepted.get();
    }

    /** One call of the loop. */
    private final class Subscription implements ClientResponseObserver<AgentMessage, ConfigUpdate> {
        private ClientCallStreamObserver<AgentMessage> requests;

        @Override
        public synchronized void beforeStart(ClientCallStreamObserver<AgentMessage> requestStream) {
            this.requests = requestStream;
        }

        synchronized boolean send(AgentMessage message) {
            try {
                requests.onNext(message);
                return true;
            } catch (IllegalStateException cancelled) {
                return false;
            }
        }

        synchronized void cancel() {
            requests.cancel("agent stops", null);
        }

        @Override
        public void onNext(ConfigUpdate update) {
            updates.incrementAndGet();
            log.info("Agent {} received config version {}", properties.getAgentId(), update.getVersion());
            long sequence = ackSequence.incrementAndGet();
            if (send(AgentMessage.newBuilder()
                    .setAck(Ack.newBuilder().setVersion(update.getVersion()).setSequence(sequence)).build())) {
                acksAccepted.incrementAndGet();
            }
        }

        @Override
        public void onError(Throwable error) {
            log.warn("Agent {}: config stream broke ({}); subscribing again in {} ms", properties.getAgentId(),
                    Status.fromThrowable(error), RESUBSCRIBE_DELAY_MILLIS);
            resubscribeLater();
        }

        @Override
        public void onCompleted() {
            log.warn("Agent {}: config stream completed by the control plane; subscribing again in {} ms",
                    properties.getAgentId(), RESUBSCRIBE_DELAY_MILLIS);
            resubscribeLater();
        }

        private void resubscribeLater() {
            if (!stopped) {
                try {
                    scheduler.schedule(ResubscribeLoopAgent.this::subscribe, RESUBSCRIBE_DELAY_MILLIS,
                            TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException stopping) {
                    // the agent stops
                }
            }
        }
    }
}
