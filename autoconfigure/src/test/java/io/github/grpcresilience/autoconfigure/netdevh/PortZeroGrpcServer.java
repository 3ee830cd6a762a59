package io.github.grpcresilience.autoconfigure.netdevh;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.util.List;
import net.devh.boot.grpc.server.config.GrpcServerProperties;
import net.devh.boot.grpc.server.serverfactory.GrpcServerConfigurer;
import net.devh.boot.grpc.server.serverfactory.GrpcServerLifecycle;
import net.devh.boot.grpc.server.serverfactory.ShadedNettyGrpcServerFactory;
import net.devh.boot.grpc.server.service.GrpcServiceDiscoverer;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * net.devh's server on 127.0.0.1 port 0, bound by the kernel. net.devh's own
 * {@code grpc.server.port=0} probes for a free port and binds it later, a close-then-rebind race
 * with every other process on the machine. Use it in place of net.devh's
 * {@code GrpcServerFactoryAutoConfiguration} (with its {@code GrpcServerAutoConfiguration}); the
 * server configurers, the starter's among them, apply as usual. Read the port from
 * {@link Factory#getPort()} once the context runs.
 */
@Configuration(proxyBeanMethods = false)
public class PortZeroGrpcServer {

    @Bean
    Factory portZeroGrpcServerFactory(GrpcServerProperties properties, GrpcServiceDiscoverer services,
            List<GrpcServerConfigurer> configurers) {
        Factory factory = new Factory(properties, configurers);
        services.findGrpcServices().forEach(factory::addService);
        return factory;
    }

    @Bean
    GrpcServerLifecycle portZeroGrpcServerLifecycle(Factory factory, GrpcServerProperties properties,
            ApplicationEventPublisher events) {
        return new GrpcServerLifecycle(factory, properties.getShutdownGracePeriod(), events);
    }

    /** Binds 127.0.0.1:0 and reports the port the kernel chose. */
    public static final class Factory extends ShadedNettyGrpcServerFactory {
        private volatile Server server;

        Factory(GrpcServerProperties properties, List<GrpcServerConfigurer> configurers) {
            super(properties, configurers);
        }

        @Override
        protected NettyServerBuilder newServerBuilder() {
            return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0));
        }

        @Override
        public Server createServer() {
            Server created = super.createServer();
            server = created;
            return created;
        }

        /** The bound port, once the server has started with the context. */
        @Override
        public int getPort() {
            Server started = server;
            if (started == null) {
                throw new IllegalStateException("the gRPC server has not been created yet");
            }
            return started.getPort();
        }
    }
}
