package io.github.grpcresilience.sample;

import io.github.grpcresilience.sample.proto.Ack;
import io.github.grpcresilience.sample.proto.AgentMessage;
import io.github.grpcresilience.sample.proto.ConfigRequest;
import io.github.grpcresilience.sample.proto.ConfigSnapshot;
import io.github.grpcresilience.sample.proto.ConfigUpdate;
import io.github.grpcresilience.sample.proto.ControlPlaneGrpc;
import io.github.grpcresilience.sample.proto.Hello;
import io.github.grpcresilience.stream.OutboundBufferFullException;
import io.github.grpcresilience.stream.ResilientStream;
import io.github.grpcresilience.stream.StreamEndedException;
import io.github.grpcresilience.stream.StreamSupervisor;
import io.grpc.Status;
import jakarta.annotation.PreDestroy;
import java.util.List;
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
 * The agent: reads its configuration, then holds the {@code config-updates} stream open through
 * the starter's {@link StreamSupervisor}, which re-opens it after any break. On every (re)open the
 * agent says hello again (the control plane answers with a full snapshot), then acknowledges each
 * update. Acks are numbered and every update confirms those the control plane received
 * ({@code acked_through}), so the stream's confirmed delivery applies: acks sent while the stream
 * is down, and acks written to a call that then broke before they were confirmed, are written
 * after the reconnect; those still unconfirmed when the stream ends are handed back and counted
 * (see {@link #acksUnsent()}). Every accepted ack reaches the control plane or is handed back.
 *
 * <p>Threads: stream callbacks run on gRPC's executor; the supervisor runs re-opens on its own thread.
 */
@Component
@Profile("!server")
@ConditionalOnProperty(prefix = "sample", name = "reconnect", havingValue = "supervisor", matchIfMissing = true)
public class Agent {

    static final String STREAM = "config-updates";
    private static final Logger log = LoggerFactory.getLogger(Agent.class);

    @GrpcClient("control-plane")
    private ControlPlaneGrpc.ControlPlaneStub stub;

    @GrpcClient("control-plane")
    private ControlPlaneGrpc.ControlPlaneBlockingStub blockingStub;

    private final SampleProperties properties;
    private final StreamSupervisor supervisor;
    private final AtomicLong updates = new AtomicLong();
    private final AtomicLong latestVersion = new AtomicLong(-1);
    private final AtomicLong acksAccepted = new AtomicLong();
    private final AtomicLong ackSequence = new AtomicLong();
    private final AtomicLong acksUnsent = new AtomicLong();
    private volatile ResilientStream<AgentMessage, ConfigUpdate> stream;

    public Agent(SampleProperties properties, StreamSupervisor supervisor) {
        this.properties = properties;
        this.supervisor = supervisor;
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
        stream = supervisor.<AgentMessage, ConfigUpdate>bidi(STREAM, "control-plane")
                .open(responses -> stub.subscribe(responses))
                .onReconnect(out -> out.send(AgentMessage.newBuilder()
                        .setHello(Hello.newBuilder().setAgentId(properties.getAgentId())).build()))
                .onMessage(this::apply)
                .confirmedBy((update, message) -> message.hasAck()
                        && message.getAck().getSequence() <= update.getAckedThrough())
                .onUnsent(this::unsent)
                .onFailure(status -> log.error("Agent {}: config stream failed for good ({}); restart the agent",
                        properties.getAgentId(), status.getCode()))
                .build();
        stream.start();
    }

    private void apply(ConfigUpdate update) {
        updates.incrementAndGet();
        latestVersion.accumulateAndGet(update.getVersion(), Math::max);
        log.info("Agent {} received config version {}", properties.getAgentId(), update.getVersion());
        long sequence = ackSequence.incrementAndGet();
        try {
            stream.send(AgentMessage.newBuilder()
                    .setAck(Ack.newBuilder().setVersion(update.getVersion()).setSequence(sequence)).build());
            acksAccepted.incrementAndGet();
        } catch (StreamEndedException | OutboundBufferFullException ex) {
            log.warn("Agent {} could not ack version {} (ack {}): {}", properties.getAgentId(), update.getVersion(),
                    sequence, ex.getMessage());
        }
    }

    /**
     * Acks the control plane never confirmed when the stream ended (never written, or written and
     * maybe lost); the next Hello resyncs anyway. Their sequences are logged for the soak's ledger.
     */
    private void unsent(List<AgentMessage> messages) {
        List<Long> sequences = messages.stream().filter(AgentMessage::hasAck)
                .map(message -> message.getAck().getSequence()).toList();
        acksUnsent.addAndGet(sequences.size());
        log.warn("Agent {}: {} ack(s) handed back unconfirmed as the config stream ended {}; the control plane sends "
                + "the current version again on the next subscribe", properties.getAgentId(), sequences.size(),
                sequences);
    }

    /** After the starter closed the stream (on ContextClosedEvent), so the counts are final. */
    @PreDestroy
    void stop() {
        log.info("Agent {} stops: {} acks accepted by the stream, {} handed back unsent", properties.getAgentId(),
                acksAccepted.get(), acksUnsent.get());
    }

    /** Updates received since start (for tests and curious operators). */
    public long updatesReceived() {
        return updates.get();
    }

    public long latestVersion() {
        return latestVersion.get();
    }

    /** Acks the stream accepted (each is written to the control plane or handed back unsent). */
    public long acksAccepted() {
        return acksAccepted.get();
    }

    /** Accepted acks handed back because the stream ended before it could write them. */
    public long acksUnsent() {
        return acksUnsent.get();
    }
}
