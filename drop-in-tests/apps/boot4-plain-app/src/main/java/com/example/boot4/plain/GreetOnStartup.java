package com.example.boot4.plain;

import com.example.greeter.v1.GreeterGrpc;
import com.example.greeter.v1.HelloRequest;
import io.grpc.ManagedChannel;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.CommandLineRunner;
import org.springframework.grpc.client.GrpcChannelFactory;
import org.springframework.stereotype.Component;

/**
 * Once started, greets the greeter of the channel named "greeter" (spring.grpc.client.channel.greeter,
 * this service itself by default), on a channel it asks Spring Boot's GrpcChannelFactory for.
 */
@Component
public class GreetOnStartup implements CommandLineRunner {

    private static final Logger log = LoggerFactory.getLogger(GreetOnStartup.class);

    private final GrpcChannelFactory channels;

    public GreetOnStartup(GrpcChannelFactory channels) {
        this.channels = channels;
    }

    @Override
    public void run(String... args) {
        ManagedChannel channel = channels.createChannel("greeter");
        String message = GreeterGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .sayHello(HelloRequest.newBuilder().setName("plain").build()).getMessage();
        log.info("greeter said: {}", message);
    }
}
