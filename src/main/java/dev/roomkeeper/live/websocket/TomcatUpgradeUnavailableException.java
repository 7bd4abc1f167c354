package dev.roomkeeper.live.websocket;

/**
 * The WebSocket layer cannot work here: the servlet container is not Tomcat, or Tomcat's
 * internal upgrade API is missing or changed (see {@link TomcatUpgradeCheck}). Start-up
 * stops with this exception's message.
 */
public class TomcatUpgradeUnavailableException extends IllegalStateException {

	public TomcatUpgradeUnavailableException(String message) {
		super(message);
	}

}
