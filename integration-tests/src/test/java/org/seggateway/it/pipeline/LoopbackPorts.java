package org.seggateway.it.pipeline;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Whether something still listens on a loopback port (after a command says it stopped everything). */
public final class LoopbackPorts {
    private LoopbackPorts() {
    }

    public static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
