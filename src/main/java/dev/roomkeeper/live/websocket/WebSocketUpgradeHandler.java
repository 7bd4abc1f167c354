package dev.roomkeeper.live.websocket;

import java.util.function.Function;

import jakarta.servlet.http.WebConnection;
import org.apache.coyote.http11.upgrade.InternalHttpUpgradeHandler;
import org.apache.tomcat.util.net.AbstractEndpoint.Handler.SocketState;
import org.apache.tomcat.util.net.SSLSupport;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketWrapperBase;

/**
 * Takes over the socket after Tomcat has sent {@code 101 Switching Protocols}. It is
 * Tomcat's internal kind of upgrade handler, the one Tomcat's own WebSocket uses: it gets
 * the socket itself and Tomcat's readable/writable events, with no servlet streams and no
 * thread of its own. Created by Tomcat (hence public, with a public constructor);
 * {@link WebSocketHandshake} hands it what it needs before Tomcat calls {@link #init}.
 */
public final class WebSocketUpgradeHandler implements InternalHttpUpgradeHandler {

	private SocketWrapperBase<?> socket;

	private Function<WebSocket, WebSocketListener> listeners;

	private WebSocketOptions options;

	private WebSocket webSocket;

	public WebSocketUpgradeHandler() {
	}

	void prepare(Function<WebSocket, WebSocketListener> listeners, WebSocketOptions options) {
		this.listeners = listeners;
		this.options = options;
	}

	@Override
	public void setSocketWrapper(SocketWrapperBase<?> socket) {
		this.socket = socket;
	}

	@Override
	public void init(WebConnection connection) {
		if (this.listeners == null) {
			throw new IllegalStateException("The handshake did not prepare the upgrade");
		}
		WebSocket created = new WebSocket(new TomcatTransport(this.socket), this.options);
		this.webSocket = created;
		created.open(this.listeners);
		this.listeners = null;
		// Frames the client sent right behind the handshake request.
		created.onReadable();
	}

	@Override
	public SocketState upgradeDispatch(SocketEvent event) {
		WebSocket current = this.webSocket;
		if (current == null) {
			return SocketState.CLOSED;
		}
		switch (event) {
			case OPEN_READ -> current.onReadable();
			case OPEN_WRITE -> current.onWritable();
			case STOP -> current.close(CloseCodes.GOING_AWAY, "Server stopping");
			default -> current.onTransportClosed();
		}
		return current.isClosed() ? SocketState.CLOSED : SocketState.UPGRADED;
	}

	/** Whether the connection's next read may run on the poller ({@link PollerReads}). */
	boolean readsOnPoller() {
		WebSocket current = this.webSocket;
		return current != null && current.readsOnPoller();
	}

	@Override
	public void destroy() {
		WebSocket current = this.webSocket;
		if (current != null) {
			current.onTransportClosed();
		}
	}

	@Override
	public void timeoutAsync(long now) {
		// Timeouts are the WebSocket's own (see WebSocket.checkDeadlines).
	}

	@Override
	public void setSslSupport(SSLSupport sslSupport) {
		// Nothing depends on TLS details.
	}

	@Override
	public void pause() {
		// Connections are closed by the live layer's shutdown, not paused.
	}

}
