package com.example.servlet;

import com.example.greeter.v1.GreeterGrpc;
import com.example.greeter.v1.HelloRequest;
import net.devh.boot.grpc.client.inject.GrpcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** An HTTP front to the greeter: the gRPC client calls the greeter named by grpc.client.greeter. */
@RestController
public class HelloController {

    @GrpcClient("greeter")
    private GreeterGrpc.GreeterBlockingStub greeter;

    @GetMapping("/hello")
    public String hello(@RequestParam String name) {
        return greeter.sayHello(HelloRequest.newBuilder().setName(name).build()).getMessage();
    }
}
