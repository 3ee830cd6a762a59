package io.github.grpcresilience.benchmarks;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.netdevh.NetDevhChannelFactoryAutoConfiguration;
import io.github.grpcresilience.autoconfigure.netdevh.NetDevhClientAutoConfiguration;
import io.github.grpcresilience.autoconfigure.observability.GrpcResilienceChannelRegistryAutoConfiguration;
import io.github.grpcresilience.autoconfigure.serviceconfig.GrpcResilienceServiceConfigAutoConfiguration;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.micrometer.observation.ObservationRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import net.devh.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration;
import net.devh.boot.grpc.client.autoconfigure.GrpcClientMicrometerTraceAutoConfiguration;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One client of the rolling-restart benchmark, in its own JVM (so a baseline can run with
 * grpc-java's RFC 3986 switch off without touching the others): a Spring Boot net.devh client,
 * with or without the starter, sending unary calls at a fixed rate through a multi-address
 * target. Reads {@code phase <name>} and {@code stop} on stdin; prints {@code STARTED}, then one
 * {@code RESULT <phase> <calls> <failed> <first failure>} line per phase and {@code END}.
 */
public final class RollingRestartClient {

    private static final SimpleRequest REQUEST = SimpleRequest.newBuilder().setRequestMessage("x").build();

    /** A net.devh client application; observation on as with actuator unless bench.observation=false. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({GrpcResilienceKeepAliveAutoConfiguration.class,
            GrpcResilienceServiceConfigAutoConfiguration.class, GrpcResilienceChannelRegistryAutoConfiguration.class,
            NetDevhClientAutoConfiguration.class, NetDevhChannelFactoryAutoConfiguration.class,
            GrpcClientAutoConfiguration.class, GrpcClientMicrometerTraceAutoConfiguration.class})
    static class Client {
        @Bean
        @ConditionalOnProperty(name = "bench.observation", havingValue = "true", matchIfMissing = true)
        ObservationRegistry observationRegistry() {
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(context -> true);
            return registry;
        }
    }

    private record Phase(AtomicLong calls, AtomicLong failed, Map<String, AtomicInteger> failures) {
        Phase() {
            this(new AtomicLong(), new AtomicLong(), new ConcurrentHashMap<>());
        }
    }

    private RollingRestartClient() {
    }

    /** args: starter|plain, target, calls per second, observation (true|false). */
    public static void main(String[] args) throws Exception {
        boolean starter = args[0].equals("starter");
        ConfigurableApplicationContext context = new SpringApplicationBuilder(Client.class)
                .web(WebApplicationType.NONE)
                .properties("grpc.client.rolling.address=" + args[1], "grpc.client.rolling.negotiation-type=plaintext",
                        "grpc.client.rolling.shutdown-grace-period=0s", "grpc.resilience.enabled=" + starter,
                        "bench.observation=" + args[3], "spring.main.banner-mode=off", "logging.level.root=ERROR")
                .run();
        int rate = Integer.parseInt(args[2]);
        Map<String, Phase> phases = new ConcurrentHashMap<>();
        AtomicReference<String> current = new AtomicReference<>("warm-up"); // read by the sender thread
        Channel channel = null;
        String channelFailure = null;
        try {
            channel = context.getBean(GrpcChannelFactory.class).createChannel("rolling");
        } catch (RuntimeException e) {
            channelFailure = "channel creation: " + e.getClass().getSimpleName();
        }
        SimpleServiceGrpc.SimpleServiceFutureStub stub = channel == null ? null : SimpleServiceGrpc.newFutureStub(channel);
        if (channel != null) {
            try { // connected before counting, so JVM start-up is not measured as failures
                SimpleServiceGrpc.newBlockingStub(channel).withWaitForReady().withDeadlineAfter(30, TimeUnit.SECONDS)
                        .unaryRpc(REQUEST);
            } catch (RuntimeException e) {
                System.out.println("first call failed: " + e);
            }
        }
        String creationFailure = channelFailure;
        ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
        sender.scheduleAtFixedRate(() -> {
            Phase phase = phases.computeIfAbsent(current.get(), name -> new Phase());
            phase.calls().incrementAndGet();
            if (stub == null) {
                fail(phase, creationFailure);
                return;
            }
            try {
                send(stub, phase);
            } catch (RuntimeException e) {
                fail(phase, "thrown by the stub: " + e.getClass().getSimpleName());
            }
        }, 0, 1_000_000 / rate, TimeUnit.MICROSECONDS);
        System.out.println("STARTED");
        System.out.flush();

        BufferedReader input = new BufferedReader(new InputStreamReader(System.in));
        for (String line = input.readLine(); line != null && !line.equals("stop"); line = input.readLine()) {
            if (line.startsWith("phase ")) {
                current.set(line.substring("phase ".length()));
                System.out.println("PHASE " + current.get());
                System.out.flush();
            }
        }
        sender.shutdown();
        sender.awaitTermination(5, TimeUnit.SECONDS);
        Thread.sleep(3500); // the last calls' deadline
        for (Map.Entry<String, Phase> entry : new TreeMap<>(phases).entrySet()) {
            Phase phase = entry.getValue();
            System.out.println("RESULT " + entry.getKey() + " " + phase.calls() + " " + phase.failed() + " "
                    + (phase.failures().isEmpty() ? "-" : new TreeMap<>(phase.failures()).toString().replace(' ', '_')));
        }
        System.out.println("END");
        System.out.flush();
        context.close();
        System.exit(0);
    }

    /**
     * Counts each call's attempts (transparent retries excluded), so a failure says whether the
     * retry policy gave up after its attempts or never retried (throttled, or committed).
     */
    private static void send(SimpleServiceGrpc.SimpleServiceFutureStub stub, Phase phase) {
        AtomicInteger attempts = new AtomicInteger();
        ClientStreamTracer.Factory counter = new ClientStreamTracer.Factory() {
            @Override
            public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info, Metadata headers) {
                if (!info.isTransparentRetry()) {
                    attempts.incrementAndGet();
                }
                return new ClientStreamTracer() {
                };
            }
        };
        ClientInterceptor counting = new ClientInterceptor() {
            @Override
            public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
                    CallOptions options, Channel next) {
                return next.newCall(method, options.withStreamTracerFactory(counter));
            }
        };
        Futures.addCallback(stub.withInterceptors(counting).withDeadlineAfter(3, TimeUnit.SECONDS).unaryRpc(REQUEST),
                new FutureCallback<SimpleResponse>() {
                    @Override
                    public void onSuccess(SimpleResponse result) {
                    }

                    @Override
                    public void onFailure(Throwable t) {
                        Status status = Status.fromThrowable(t);
                        String description = status.getDescription() == null ? "" : " " + status.getDescription();
                        fail(phase, status.getCode() + description.substring(0, Math.min(description.length(), 60))
                                + " (" + attempts.get() + " attempt(s))" + origin(status.getCause()));
                    }
                }, MoreExecutors.directExecutor());
    }

    /** Where the failure's innermost cause came from (Netty's stackless exceptions name their method). */
    private static String origin(Throwable cause) {
        if (cause == null) {
            return "";
        }
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        StackTraceElement[] frames = cause.getStackTrace();
        return " from " + cause.getClass().getSimpleName()
                + (frames.length == 0 ? "" : " at " + frames[0].getClassName().replaceAll(".*\\.", "") + "."
                        + frames[0].getMethodName());
    }

    private static void fail(Phase phase, String reason) {
        phase.failed().incrementAndGet();
        phase.failures().computeIfAbsent(reason, key -> new AtomicInteger()).incrementAndGet();
    }
}
