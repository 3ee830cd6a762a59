package io.github.grpcresilience.autoconfigure.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.grpcresilience.stream.ResilientStream;
import io.github.grpcresilience.stream.StreamSettings;
import io.github.grpcresilience.stream.StreamSupervisor;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Messages a stream accepted but never wrote are never discarded without one WARN naming the count. */
@ExtendWith(OutputCaptureExtension.class)
class UnsentMessagesLogTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final StreamSupervisor supervisor = new StreamSupervisor(name -> StreamSettings.DEFAULT,
            name -> Optional.empty(), scheduler, 10, () -> 0.5, System::nanoTime, Clock.systemUTC());

    {
        supervisor.addListener(new StreamEventLogger(channel -> "no deadline advice"));
    }

    @AfterEach
    void stop() {
        supervisor.close();
        scheduler.shutdownNow();
    }

    /** Built, never started: what is sent stays in its buffer until {@code close()}. */
    private ResilientStream<String, String> stream(String name, List<List<String>> unsent) {
        StreamSupervisor.BidiBuilder<String, String> builder = supervisor.<String, String>bidi(name, "control-plane")
                .open(responses -> (StreamObserver<String>) null).onMessage(message -> { });
        if (unsent != null) {
            builder.onUnsent(unsent::add);
        }
        ResilientStream<String, String> stream = builder.build();
        stream.send("a");
        stream.send("b");
        return stream;
    }

    @Test
    void withoutAnOnUnsentHookTheDiscardedMessagesAreLoggedOnce(CapturedOutput output) {
        stream("config-updates", null).close();
        assertThat(output.getAll().lines().filter(line -> line.contains("discarded")).toList()).singleElement()
                .asString().contains("WARN").contains("gRPC stream 'config-updates' on channel 'control-plane' "
                        + "discarded 2 message(s) it had accepted but never wrote")
                .contains("register onUnsent(...)");
    }

    @Test
    void withAHookTheyAreHandedBackInOrderAndNotLogged(CapturedOutput output) {
        List<List<String>> unsent = new CopyOnWriteArrayList<>();
        stream("config-updates", unsent).close();
        assertThat(unsent).containsExactly(List.of("a", "b"));
        assertThat(output.getAll()).doesNotContain("discarded");
    }
}
