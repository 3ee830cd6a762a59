package com.example.plain;

import com.example.greeter.v1.GreeterGrpc;
import com.example.greeter.v1.HelloRequest;
import java.util.concurrent.TimeUnit;
import net.devh.boot.grpc.client.inject.GrpcClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.CommandLineRunner;
import org.springframework.stereotype.Component;

/** Once started, greets the greeter named by grpc.client.greeter (this service itself by default). */
@Component
public class GreetOnStartup implements CommandLineRunner {

    private static final Logger log = LoggerFactory.getLogger(GreetOnStartup.class);

    @GrpcClient("greeter")
    private GreeterGrpc.GreeterBlockingStub greeter;

    @Override
    public void run(String... args) {
        String message = greeter.withDeadlineAfter(10, TimeUnit.SECONDS)
                .sayHello(HelloRequest.newBuilder().setName("plain").build()).getMessage();
        log.info("greeter said: {}", message);
    }
}
