package org.seggateway.dicomio.net;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;

/**
 * An accepted socket whose input first replays bytes we already read from it. We read the A-ASSOCIATE-RQ ourselves
 * to check the calling AE title before PixelMed sees the connection (PixelMed checks only the called title), then
 * hand PixelMed this socket so it reads the same request again, through a {@link PduLengthGuard}. Delegates
 * everything PixelMed's {@code Association} uses.
 */
final class ReplayingSocket extends Socket {

    private final Socket delegate;
    private final InputStream input;

    ReplayingSocket(Socket delegate, byte[] alreadyRead, long maxPduLength) throws IOException {
        this.delegate = delegate;
        this.input = new PduLengthGuard(new SequenceInputStream(new ByteArrayInputStream(alreadyRead),
                delegate.getInputStream()), maxPduLength);
    }

    @Override public InputStream getInputStream() { return input; }
    @Override public OutputStream getOutputStream() throws IOException { return delegate.getOutputStream(); }
    @Override public synchronized void close() throws IOException { delegate.close(); }
    @Override public void shutdownInput() throws IOException { delegate.shutdownInput(); }
    @Override public void shutdownOutput() throws IOException { delegate.shutdownOutput(); }
    @Override public boolean isClosed() { return delegate.isClosed(); }
    @Override public boolean isConnected() { return delegate.isConnected(); }
    @Override public boolean isBound() { return delegate.isBound(); }
    @Override public boolean isInputShutdown() { return delegate.isInputShutdown(); }
    @Override public boolean isOutputShutdown() { return delegate.isOutputShutdown(); }
    @Override public InetAddress getInetAddress() { return delegate.getInetAddress(); }
    @Override public int getPort() { return delegate.getPort(); }
    @Override public InetAddress getLocalAddress() { return delegate.getLocalAddress(); }
    @Override public int getLocalPort() { return delegate.getLocalPort(); }
    @Override public SocketAddress getRemoteSocketAddress() { return delegate.getRemoteSocketAddress(); }
    @Override public SocketAddress getLocalSocketAddress() { return delegate.getLocalSocketAddress(); }
    @Override public synchronized int getReceiveBufferSize() throws SocketException { return delegate.getReceiveBufferSize(); }
    @Override public synchronized void setReceiveBufferSize(int size) throws SocketException { delegate.setReceiveBufferSize(size); }
    @Override public synchronized int getSendBufferSize() throws SocketException { return delegate.getSendBufferSize(); }
    @Override public synchronized void setSendBufferSize(int size) throws SocketException { delegate.setSendBufferSize(size); }
    @Override public synchronized int getSoTimeout() throws SocketException { return delegate.getSoTimeout(); }
    @Override public synchronized void setSoTimeout(int timeout) throws SocketException { delegate.setSoTimeout(timeout); }
    @Override public boolean getTcpNoDelay() throws SocketException { return delegate.getTcpNoDelay(); }
    @Override public void setTcpNoDelay(boolean on) throws SocketException { delegate.setTcpNoDelay(on); }
    @Override public int getSoLinger() throws SocketException { return delegate.getSoLinger(); }
    @Override public void setSoLinger(boolean on, int linger) throws SocketException { delegate.setSoLinger(on, linger); }
    @Override public boolean getKeepAlive() throws SocketException { return delegate.getKeepAlive(); }
    @Override public void setKeepAlive(boolean on) throws SocketException { delegate.setKeepAlive(on); }
    @Override public String toString() { return delegate.toString(); }
}
