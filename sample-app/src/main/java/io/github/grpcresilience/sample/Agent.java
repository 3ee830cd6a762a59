package io.github.grpcresilience.sample;

import io.github.grpcresilience.sample.proto.Ack;
import io.github.grpcresilience.sample.proto.AgentMessage;
import io.github.grpcresilience.sample.proto.ConfigRequest;
import io.github.grpcresilience.sample.proto.ConfigSnapshot;
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
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The agent: reads its configuration, then holds a {@code Subscribe} stream open, logging and
 * acknowledging each update. When the stream breaks it re-opens it after a delay (a plain loop; the
 * stream supervisor of a later release replaces it).
 *
 * <p>Threads: stream callbacks run on gRPC's executor and re-subscription on one scheduler thread;
 * the request side of the stream is written under {@code this}.
 */
@Component
@Profile("!server")
public class Agent {

    private static final Logger log = LoggerFactory.getLogger(Agent.class);

    @GrpcClient("control-plane")
    private ControlPlaneGrpc.ControlPlaneStub stub;

    @GrpcClient("control-plane")
    private ControlPlaneGrpc.ControlPlaneBlockingStub blockingStub;

    private final SampleProperties properties;
    private final AtomicLong updates = new AtomicLong();
    private final AtomicLong latestVersion = new AtomicLong(-1);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "agent-resubscribe");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean stopped;
    private ClientCallStreamObserver<AgentMessage> requests;

    public Agent(SampleProperties properties) {
        this.properties = properties;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        try {
            ConfigSnapshot snapshot = blockingStub.withDeadlineAfter(5, TimeUnit.SECONDS)
                    .getConfig(ConfigRequest.newBuilder().setAgentId(properties.getAgentId()).build());
            latestVersion.set(snapshot.getVersion());
            log.info("Agent {} read config version {} ({} entries)", properties.getAgentId(), snapshot.getVersion(),
                    snapshot.getEntriesCount());
        } catch (RuntimeException ex) {
            log.warn("Agent {} could not read its config ({}); subscribing anyway", properties.getAgentId(),
                    Status.fromThrowable(ex).getCode());
        }
        subscribe();
    }

    private void subscribe() {
        if (stopped) {
            return;
        }
        stub.subscribe(new ClientResponseObserver<AgentMessage, ConfigUpdate>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<AgentMessage> stream) {
                synchronized (Agent.this) {
                    requests = stream;
                }
            }

            @Override
            public void onNext(ConfigUpdate update) {
                updates.incrementAndGet();
                latestVersion.accumulateAndGet(update.getVersion(), Math::max);
                log.info("Agent {} received config version {}", properties.getAgentId(), update.getVersion());
                send(AgentMessage.newBuilder().setAck(Ack.newBuilder().setVersion(update.getVersion())).build());
            }

            @Override
            public void onError(Throwable error) {
                retryLater("broke with " + Status.fromThrowable(error).getCode());
            }

            @Override
            public void onCompleted() {
                retryLater("was closed by the control plane");
            }
        });
        send(AgentMessage.newBuilder().setHello(Hello.newBuilder().setAgentId(properties.getAgentId())).build());
    }

    private synchronized void send(AgentMessage message) {
        if (requests != null && !stopped) {
            requests.onNext(message);
        }
    }

    private void retryLater(String why) {
        if (stopped) {
            return;
        }
        log.warn("Agent {}: config stream {}; re-subscribing in {} ms", properties.getAgentId(), why,
                properties.getResubscribeDelay().toMillis());
        scheduler.schedule(this::subscribe, properties.getResubscribeDelay().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Updates received since start (for tests and curious operators). */
    public long updatesReceived() {
        return updates.get();
    }

    public long latestVersion() {
        return latestVersion.get();
    }

    @PreDestroy
    void stop() {
        stopped = true;
        scheduler.shutdownNow();
        synchronized (this) {
            if (requests != null) {
                requests.cancel("agent stopping", null);
            }
        }
    }
}
