package io.github.grpcresilience.benchmarks.kubernetes;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.github.grpcresilience.autoconfigure.keepalive.GrpcResilienceKeepAliveAutoConfiguration;
import io.github.grpcresilience.autoconfigure.netdevh.NetDevhChannelFactoryAutoConfiguration;
import io.github.grpcresilience.autoconfigure.netdevh.NetDevhClientAutoConfiguration;
import io.github.grpcresilience.autoconfigure.observability.GrpcResilienceChannelRegistryAutoConfiguration;
import io.github.grpcresilience.autoconfigure.pool.GrpcResiliencePoolAutoConfiguration;
import io.github.grpcresilience.autoconfigure.serviceconfig.GrpcResilienceServiceConfigAutoConfiguration;
import io.github.grpcresilience.autoconfigure.stream.GrpcResilienceStreamsAutoConfiguration;
import io.github.grpcresilience.sample.proto.AgentMessage;
import io.github.grpcresilience.sample.proto.ConfigRequest;
import io.github.grpcresilience.sample.proto.ConfigSnapshot;
import io.github.grpcresilience.sample.proto.ConfigUpdate;
import io.github.grpcresilience.sample.proto.ControlPlaneGrpc;
import io.github.grpcresilience.sample.proto.Hello;
import io.github.grpcresilience.stream.StreamSupervisor;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import net.devh.boot.grpc.client.autoconfigure.GrpcClientAutoConfiguration;
import net.devh.boot.grpc.client.channelfactory.GrpcChannelFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * The client of the Kubernetes simulation, in its own JVM (its name resolution reads the
 * Service's hosts file): a Spring Boot net.devh application, with the starter's defaults or with
 * the starter switched off (plain net.devh), whose channel {@code control-plane} targets the
 * Service as the sample's Deployment does ({@code dns:///<service>:<port>}). It sends unary
 * {@code GetConfig} calls at a fixed rate (2 s deadline, the sample's method timeout) and holds
 * agents' {@code Subscribe} config streams open: with the starter through its
 * {@link StreamSupervisor}, plain by re-subscribing 1 s after the stream ends (what an application
 * without the starter writes by hand). Creates the {@code started} file once the first call
 * succeeded; on {@code stop} (stdin) writes its {@link TrafficLog} and exits.
 */
public final class KubernetesClient {

    static final String CHANNEL = "control-plane";
    private static final long DEADLINE_MILLIS = 2000;
    private static final long PLAIN_RESUBSCRIBE_SECONDS = 1;

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({GrpcResilienceKeepAliveAutoConfiguration.class,
            GrpcResilienceServiceConfigAutoConfiguration.class, GrpcResilienceChannelRegistryAutoConfiguration.class,
            NetDevhClientAutoConfiguration.class, NetDevhChannelFactoryAutoConfiguration.class,
            GrpcResilienceStreamsAutoConfiguration.class, GrpcResiliencePoolAutoConfiguration.class,
            GrpcClientAutoConfiguration.class})
    static class Client {
    }

    private KubernetesClient() {
    }

    /** args: starter|plain, target, calls per second, streams, traffic log file, started file. */
    public static void main(String[] args) throws Exception {
        boolean starter = args[0].equals("starter");
        int rate = Integer.parseInt(args[2]);
        int streams = Integer.parseInt(args[3]);
        Path log = Path.of(args[4]);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(Client.class)
                .web(WebApplicationType.NONE)
                .properties("grpc.client." + CHANNEL + ".address=" + args[1],
                        "grpc.client." + CHANNEL + ".negotiation-type=plaintext",
                        "grpc.client." + CHANNEL + ".shutdown-grace-period=0s",
                        "grpc.resilience.enabled=" + starter, "spring.main.banner-mode=off",
                        "logging.level.root=WARN", "logging.level.io.github.grpcresilience=INFO")
                .run();
        TrafficLog traffic = new TrafficLog();
        Channel channel = context.getBean(GrpcChannelFactory.class).createChannel(CHANNEL);
        ConfigSnapshot first = ControlPlaneGrpc.newBlockingStub(channel).withWaitForReady()
                .withDeadlineAfter(60, TimeUnit.SECONDS).getConfig(request());
        System.out.println("first call answered (config version " + first.getVersion() + ")");

        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        for (int id = 1; id <= streams; id++) {
            ControlPlaneGrpc.ControlPlaneStub stub = ControlPlaneGrpc.newStub(channel)
                    .withInterceptors(traffic.streamTracker(id));
            AgentMessage hello = AgentMessage.newBuilder().setHello(Hello.newBuilder().setAgentId("agent-" + id))
                    .build();
            if (starter) {
                context.getBean(StreamSupervisor.class).<AgentMessage, ConfigUpdate>bidi("config-updates-" + id, CHANNEL)
                        .open(stub::subscribe)
                        .onReconnect(out -> out.send(hello))
                        .onMessage(update -> { })
                        .onFailure(status -> System.out.println("stream failed for good: " + status))
                        .start();
            } else {
                subscribeByHand(stub, hello, scheduler);
            }
        }
        ControlPlaneGrpc.ControlPlaneFutureStub calls = ControlPlaneGrpc.newFutureStub(channel);
        scheduler.scheduleAtFixedRate(() -> send(calls, traffic), 0, 1_000_000 / rate, TimeUnit.MICROSECONDS);
        Files.writeString(Path.of(args[5]), "started\n");

        BufferedReader input = new BufferedReader(new InputStreamReader(System.in));
        for (String line = input.readLine(); line != null && !line.equals("stop"); line = input.readLine()) {
            // only "stop" is understood
        }
        scheduler.shutdown();
        Thread.sleep(DEADLINE_MILLIS + 500); // the last calls' deadline
        traffic.write(log);
        System.out.println("END");
        System.out.flush();
        System.exit(0);
    }

    private static void send(ControlPlaneGrpc.ControlPlaneFutureStub stub, TrafficLog traffic) {
        long started = System.currentTimeMillis();
        traffic.started(started);
        AtomicReference<String> pod = new AtomicReference<>("-");
        ClientInterceptor tracking = new ClientInterceptor() {
            @Override
            public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
                    CallOptions options, Channel next) {
                return next.newCall(method, traffic.track(options, pod));
            }
        };
        Futures.addCallback(stub.withInterceptors(tracking).withDeadlineAfter(DEADLINE_MILLIS, TimeUnit.MILLISECONDS)
                .getConfig(request()), new FutureCallback<ConfigSnapshot>() {
                    @Override
                    public void onSuccess(ConfigSnapshot result) {
                        traffic.answered(started, pod.get());
                    }

                    @Override
                    public void onFailure(Throwable t) {
                        traffic.failed(started, Status.fromThrowable(t));
                    }
                }, MoreExecutors.directExecutor());
    }

    /** The plain application's stream: say hello, and subscribe again a second after any end. */
    private static void subscribeByHand(ControlPlaneGrpc.ControlPlaneStub stub, AgentMessage hello,
            ScheduledExecutorService scheduler) {
        StreamObserver<AgentMessage> requests = stub.subscribe(new StreamObserver<>() {
            @Override
            public void onNext(ConfigUpdate update) {
            }

            @Override
            public void onError(Throwable t) {
                again();
            }

            @Override
            public void onCompleted() {
                again();
            }

            private void again() {
                scheduler.schedule(() -> subscribeByHand(stub, hello, scheduler), PLAIN_RESUBSCRIBE_SECONDS,
                        TimeUnit.SECONDS);
            }
        });
        requests.onNext(hello);
    }

    private static ConfigRequest request() {
        return ConfigRequest.newBuilder().setAgentId("bench").build();
    }
}
