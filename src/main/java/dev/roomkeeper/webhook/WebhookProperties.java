package dev.roomkeeper.webhook;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code rooms.webhooks.*}: where webhooks go and how hard they are retried. Off until an
 * endpoint is configured.
 */
@ConfigurationProperties("rooms.webhooks")
public class WebhookProperties {

	/**
	 * The endpoints: {@code rooms.webhooks.endpoints[0].url}, {@code .secret},
	 * {@code .events}.
	 */
	private List<Endpoint> endpoints = new ArrayList<>();

	/** How long a webhook is retried before it is kept as failed. */
	private Duration giveUpAfter = Duration.ofHours(24);

	/**
	 * The first retry delay; it doubles per attempt (with jitter) up to
	 * {@code max-backoff}.
	 */
	private Duration initialBackoff = Duration.ofSeconds(1);

	/** The longest delay between two attempts. */
	private Duration maxBackoff = Duration.ofMinutes(5);

	/** How long an endpoint has to answer 2xx. */
	private Duration timeout = Duration.ofSeconds(10);

	/** Threads sending webhooks (rooms are sent in parallel, each room in order). */
	private int threads = 4;

	/**
	 * With Redis: how long an instance holds a room's sending lease without renewing it
	 * (a crashed instance's rooms are taken over after this).
	 */
	private Duration leaseTtl = Duration.ofSeconds(30);

	/** How often every room is checked for webhooks to send (besides its own changes). */
	private Duration rescanInterval = Duration.ofSeconds(10);

	public List<Endpoint> getEndpoints() {
		return this.endpoints;
	}

	public void setEndpoints(List<Endpoint> endpoints) {
		this.endpoints = endpoints;
	}

	public Duration getGiveUpAfter() {
		return this.giveUpAfter;
	}

	public void setGiveUpAfter(Duration giveUpAfter) {
		this.giveUpAfter = giveUpAfter;
	}

	public Duration getInitialBackoff() {
		return this.initialBackoff;
	}

	public void setInitialBackoff(Duration initialBackoff) {
		this.initialBackoff = initialBackoff;
	}

	public Duration getMaxBackoff() {
		return this.maxBackoff;
	}

	public void setMaxBackoff(Duration maxBackoff) {
		this.maxBackoff = maxBackoff;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	public int getThreads() {
		return this.threads;
	}

	public void setThreads(int threads) {
		this.threads = threads;
	}

	public Duration getLeaseTtl() {
		return this.leaseTtl;
	}

	public void setLeaseTtl(Duration leaseTtl) {
		this.leaseTtl = leaseTtl;
	}

	public Duration getRescanInterval() {
		return this.rescanInterval;
	}

	public void setRescanInterval(Duration rescanInterval) {
		this.rescanInterval = rescanInterval;
	}

	/** One receiver of webhooks. */
	public static class Endpoint {

		/** The URL webhooks are POSTed to. */
		private String url;

		/** The signing secret, Standard Webhooks form: {@code whsec_} + base64. */
		private String secret;

		/** Event types to send (default: all but {@code room.state}). */
		private List<String> events = new ArrayList<>();

		public String getUrl() {
			return this.url;
		}

		public void setUrl(String url) {
			this.url = url;
		}

		public String getSecret() {
			return this.secret;
		}

		public void setSecret(String secret) {
			this.secret = secret;
		}

		public List<String> getEvents() {
			return this.events;
		}

		public void setEvents(List<String> events) {
			this.events = events;
		}

	}

}
