package com.example.boot4.servlet;

import com.example.greeter.v1.GreeterGrpc;
import com.example.greeter.v1.HelloRequest;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** An HTTP front to the greeter: the stub @ImportGrpcClients made for the channel named "greeter". */
@RestController
public class HelloController {

    private final GreeterGrpc.GreeterBlockingStub greeter;

    public HelloController(GreeterGrpc.GreeterBlockingStub greeter) {
        this.greeter = greeter;
    }

    @GetMapping("/hello")
    public String hello(@RequestParam String name) {
        return greeter.withDeadlineAfter(5, TimeUnit.SECONDS)
                .sayHello(HelloRequest.newBuilder().setName(name).build()).getMessage();
    }

    /** The greeter is down or unreachable: 503 with the gRPC status code. */
    @ExceptionHandler(StatusRuntimeException.class)
    public ResponseEntity<String> greeterFailed(StatusRuntimeException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(e.getStatus().getCode().name());
    }
}
