package io.github.grpcresilience.boot4sample;

import io.github.grpcresilience.boot4sample.proto.Ack;
import io.github.grpcresilience.boot4sample.proto.AgentMessage;
import io.github.grpcresilience.boot4sample.proto.ConfigRequest;
import io.github.grpcresilience.boot4sample.proto.ConfigSnapshot;
import io.github.grpcresilience.boot4sample.proto.ConfigUpdate;
import io.github.grpcresilience.boot4sample.proto.ControlPlaneGrpc;
import io.github.grpcresilience.boot4sample.proto.Hello;
import io.github.grpcresilience.stream.ResilientStream;
import io.github.grpcresilience.stream.StreamSupervisor;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.grpc.client.GrpcChannelFactory;
import org.springframework.stereotype.Component;

/**
 * The agent: reads its configuration, then holds the {@code config-updates} stream open through
 * the starter's {@link StreamSupervisor}, which re-opens it after any break. On every (re)open the
 * agent says hello again (the control plane answers with a full snapshot), then acknowledges each
 * update; acks sent while the stream is down are delivered after the reconnect.
 *
 * <p>One channel, {@code control-plane} (its target from
 * {@code spring.grpc.client.channel.control-plane.target}), built by Spring gRPC's channel factory,
 * which also shuts it down; both stubs share it.
 *
 * <p>Threads: stream callbacks run on gRPC's executor; the supervisor runs re-opens on its own thread.
 */
@Component
@Profile("!server")
public class Agent {

    static final String CHANNEL = "control-plane";
    static final String STREAM = "config-updates";
    private static final Logger log = LoggerFactory.getLogger(Agent.class);

    private final ControlPlaneGrpc.ControlPlaneStub stub;
    private final ControlPlaneGrpc.ControlPlaneBlockingStub blockingStub;
    private final SampleProperties properties;
    private final StreamSupervisor supervisor;
    private final AtomicLong updates = new AtomicLong();
    private final AtomicLong latestVersion = new AtomicLong(-1);
    private volatile ResilientStream<AgentMessage, ConfigUpdate> stream;

    public Agent(GrpcChannelFactory channels, SampleProperties properties, StreamSupervisor supervisor) {
        ManagedChannel channel = channels.createChannel(CHANNEL);
        this.stub = ControlPlaneGrpc.newStub(channel);
        this.blockingStub = ControlPlaneGrpc.newBlockingStub(channel);
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
        stream = supervisor.<AgentMessage, ConfigUpdate>bidi(STREAM, CHANNEL)
                .open(responses -> stub.subscribe(responses))
                .onReconnect(out -> out.send(AgentMessage.newBuilder()
                        .setHello(Hello.newBuilder().setAgentId(properties.getAgentId())).build()))
                .onMessage(this::apply)
                .onFailure(status -> log.error("Agent {}: config stream failed for good ({}); restart the agent",
                        properties.getAgentId(), status.getCode()))
                .build();
        stream.start();
    }

    private void apply(ConfigUpdate update) {
        updates.incrementAndGet();
        latestVersion.accumulateAndGet(update.getVersion(), Math::max);
        log.info("Agent {} received config version {}", properties.getAgentId(), update.getVersion());
        stream.send(AgentMessage.newBuilder().setAck(Ack.newBuilder().setVersion(update.getVersion())).build());
    }

    /** Updates received since start (for tests and curious operators). */
    public long updatesReceived() {
        return updates.get();
    }

    public long latestVersion() {
        return latestVersion.get();
    }
}
