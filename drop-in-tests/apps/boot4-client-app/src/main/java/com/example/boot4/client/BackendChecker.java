package com.example.boot4.client;

import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Asks the backend's standard gRPC health service how it is, once a second. */
@Component
public class BackendChecker {

    private static final Logger log = LoggerFactory.getLogger(BackendChecker.class);

    private final HealthGrpc.HealthBlockingStub backend;

    public BackendChecker(HealthGrpc.HealthBlockingStub backend) {
        this.backend = backend;
    }

    @Scheduled(fixedDelay = 1000)
    public void check() {
        try {
            var response = backend.withDeadlineAfter(2, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance());
            log.info("backend status: {}", response.getStatus());
        } catch (StatusRuntimeException e) {
            log.info("backend unreachable: {}", e.getStatus().getCode());
        }
    }
}
