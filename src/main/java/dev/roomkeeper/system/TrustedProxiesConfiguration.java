package dev.roomkeeper.system;

import java.util.ArrayList;
import java.util.List;

import org.apache.catalina.Valve;
import org.apache.catalina.util.NetMask;
import org.apache.catalina.valves.RemoteIpValve;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Which proxies may name the client: {@code X-Forwarded-For} (or
 * {@code server.tomcat.remoteip.remote-ip-header}) and
 * {@code X-Forwarded-Proto/Host/Port} are read only on connections from the addresses in
 * {@code rooms.trusted-proxies} (addresses or CIDR ranges, IPv4 or IPv6; default:
 * loopback only). From anywhere else they are ignored, so a client cannot pick its own
 * address to dodge the per-address limits. Replaces Tomcat's default (every private
 * address), which Spring Boot's {@code server.tomcat.remoteip.internal-proxies} would
 * otherwise keep.
 */
@Configuration(proxyBeanMethods = false)
class TrustedProxiesConfiguration {

	static final String PROPERTY = "rooms.trusted-proxies";

	@Bean
	@Order(Ordered.LOWEST_PRECEDENCE)
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> trustedProxies(
			@Value("${" + PROPERTY + ":127.0.0.0/8,::1}") List<String> trusted) {
		String ranges = ranges(trusted);
		return (factory) -> {
			for (Valve valve : factory.getEngineValves()) {
				if (valve instanceof RemoteIpValve remoteIp) {
					remoteIp.setInternalProxies(ranges);
					remoteIp.setTrustedProxies(null);
				}
			}
		};
	}

	/**
	 * The CIDR list Tomcat reads (a bare address becomes a single-address range), or
	 * {@code ""} to trust no one.
	 * @throws IllegalArgumentException naming the property if an entry is not an address
	 * or range
	 */
	static String ranges(List<String> trusted) {
		List<String> ranges = new ArrayList<>();
		for (String entry : trusted) {
			String range = entry.trim();
			if (range.isEmpty()) {
				continue;
			}
			if (range.indexOf('/') < 0) {
				range = range + ((range.indexOf(':') >= 0) ? "/128" : "/32");
			}
			if (!isRange(range)) {
				throw new IllegalArgumentException(PROPERTY + ": '" + entry.trim()
						+ "' is not an IP address or CIDR range (such as 10.0.0.0/8 or fdaa::/16)");
			}
			ranges.add(range);
		}
		return String.join(",", ranges);
	}

	private static boolean isRange(String range) {
		// Literal addresses only: a host name would be looked up in DNS.
		if (!range.matches("[0-9A-Fa-f:.]+/[0-9]{1,3}")) {
			return false;
		}
		try {
			new NetMask(range);
			return true;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

}
