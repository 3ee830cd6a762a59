package com.example.quickstart;

import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.util.concurrent.TimeUnit;
import net.devh.boot.grpc.client.inject.GrpcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Reports the inventory service's gRPC health over HTTP. */
@RestController
public class InventoryController {

    @GrpcClient("inventory")
    private HealthGrpc.HealthBlockingStub inventory;

    @GetMapping("/inventory/status")
    public String status() {
        return inventory.withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance()).getStatus().name();
    }
}
