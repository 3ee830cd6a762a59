package io.github.grpcresilience.dropin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * mixed-versions-app: a user's gRPC service that declares net.devh's server starter itself and
 * appends the grpc-resilience starter without importing io.grpc:grpc-bom. Maven's nearest-wins
 * rule then keeps net.devh's grpc-java 1.63.0 for the artifacts both declare one level down and
 * the starter's 1.85.1 for the rest ({@link GrpcVersionsIT} checks that premise). The
 * application must refuse to start, and say which versions it found and how to fix it.
 */
class MixedVersionsAppIT {

    private AppProcess app;

    @AfterEach
    void kill() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void refusesToStartAndNamesTheVersionsAndTheBom() {
        app = AppProcess.start("mixed-versions-app", List.of("--grpc.server.port=0"));

        int exitCode = app.awaitExit(Duration.ofSeconds(90));

        String log = app.log();
        assertThat(exitCode).as(log).isNotZero();
        assertThat(log).contains("APPLICATION FAILED TO START")
                .contains("1.63.0").contains("1.85.1").contains("io.grpc:grpc-bom");
        assertThat(log).doesNotContain("gRPC Server started");
    }
}
