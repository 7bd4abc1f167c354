package dev.roomkeeper.joinlink;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.roomkeeper.support.ApiClient;
import dev.roomkeeper.support.QrImages;

import static org.assertj.core.api.Assertions.assertThat;

/** With {@code rooms.public-url} set, join links use it whatever the request says. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "rooms.store.type=memory",
		"rooms.public-url=https://play.example.com/", "rooms.allowed-origins=https://app.example.com" })
class JoinLinkPublicUrlIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void qrWhenPublicUrlSetThenItIsTheBaseEvenBehindAProxyAndNothingVaries() throws Exception {
		ApiClient api = new ApiClient(this.port);
		ApiClient.CreatedRoom room = api.createRoom();
		assertThat(room.response().body().get("joinUrl").asString())
			.isEqualTo("https://play.example.com/r/" + room.code());
		HttpResponse<byte[]> png = HttpClient.newHttpClient()
			.send(HttpRequest
				.newBuilder(URI.create("http://localhost:" + this.port + "/api/rooms/" + room.code() + "/qr.png"))
				.header("X-Forwarded-Host", "elsewhere.example.net")
				.build(), HttpResponse.BodyHandlers.ofByteArray());
		assertThat(QrImages.decode(png.body())).isEqualTo("https://play.example.com/r/" + room.code());
		assertThat(png.headers().allValues("Vary").toString()).doesNotContain("Host", "X-Forwarded");
	}

}
