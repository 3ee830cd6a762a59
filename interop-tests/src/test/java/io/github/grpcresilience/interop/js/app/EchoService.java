package io.github.grpcresilience.interop.js.app;

import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import net.devh.boot.grpc.server.service.GrpcService;

/** The application's own service ({@code grpc.testing.SimpleService}): answers a unary call with its request. */
@GrpcService
class EchoService extends SimpleServiceGrpc.SimpleServiceImplBase {

    @Override
    public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
        responses.onNext(SimpleResponse.newBuilder().setResponseMessage(request.getRequestMessage()).build());
        responses.onCompleted();
    }
}
