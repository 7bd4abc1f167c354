package dev.roomkeeper.live.websocket;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes the frames a client sends, from bytes as they arrive: any split, any number of
 * frames per read. Data is handed on in parts as it arrives (never buffered whole), so
 * the size of a message is limited by the layer above, not here. Enforces RFC 6455 for
 * clients: every frame masked, no extension bits, known opcodes, control frames final and
 * at most 125 bytes, continuation frames only inside a fragmented message, text messages
 * in UTF-8.
 * <p>
 * Used by one thread at a time (the one reading the connection). Unmasks in place: the
 * buffer passed in is changed.
 */
final class FrameDecoder {

	/** What the decoder hands on. */
	interface Handler {

		/**
		 * A part of a data message.
		 * @param text whether the message is text (else binary)
		 * @param payload the part (valid until the call returns)
		 * @param last whether this part ends the message
		 */
		void onData(boolean text, ByteBuffer payload, boolean last);

		/** A ping, to be answered with a pong carrying the same payload. */
		void onPing(byte[] payload, int length);

		/** A pong. */
		void onPong();

		/**
		 * A close frame.
		 * @param code its code, or {@link CloseCodes#NO_STATUS} if it had none
		 * @param reason its reason, possibly empty
		 */
		void onClose(int code, String reason);

	}

	/** A broken rule: the connection is closed with this code. */
	static final class ProtocolException extends Exception {

		private final int closeCode;

		ProtocolException(int closeCode, String message) {
			super(message, null, false, false);
			this.closeCode = closeCode;
		}

		int closeCode() {
			return this.closeCode;
		}

	}

	private static final int MAX_CONTROL_PAYLOAD = 125;

	private final Handler handler;

	private final byte[] header = new byte[14];

	private int headerCount;

	private int headerNeeded = 2;

	private boolean inPayload;

	private boolean fin;

	private int opcode;

	private long payloadRemaining;

	private final byte[] mask = new byte[4];

	private int maskIndex;

	/** The opcode of the fragmented data message in progress, or -1. */
	private int messageOpcode = -1;

	private byte[] control;

	private int controlCount;

	private final Utf8Validator utf8 = new Utf8Validator();

	FrameDecoder(Handler handler) {
		this.handler = handler;
	}

	/** Decodes every byte between the buffer's position and limit. */
	void decode(ByteBuffer in) throws ProtocolException {
		while (in.hasRemaining()) {
			if (!this.inPayload) {
				readHeader(in);
			}
			else {
				readPayload(in);
			}
		}
	}

	private void readHeader(ByteBuffer in) throws ProtocolException {
		while (in.hasRemaining() && this.headerCount < this.headerNeeded) {
			this.header[this.headerCount++] = in.get();
			if (this.headerCount == 2) {
				checkFirstBytes();
				this.headerNeeded = 2 + extendedLengthBytes(this.header[1] & 0x7F) + 4;
			}
		}
		if (this.headerCount < this.headerNeeded) {
			return;
		}
		startFrame();
	}

	private static int extendedLengthBytes(int length7) {
		return (length7 == 126) ? 2 : (length7 == 127) ? 8 : 0;
	}

	/** Rules that the first two bytes settle, checked before waiting for the rest. */
	private void checkFirstBytes() throws ProtocolException {
		if ((this.header[0] & 0x70) != 0) {
			throw new ProtocolException(CloseCodes.PROTOCOL_ERROR, "Reserved bits set (no extension was agreed)");
		}
		if ((this.header[1] & 0x80) == 0) {
			throw new ProtocolException(CloseCodes.PROTOCOL_ERROR, "Client frames must be masked");
		}
	}

	private void startFrame() throws ProtocolException {
		int first = this.header[0] & 0xFF;
		int second = this.header[1] & 0xFF;
		this.fin = (first & 0x80) != 0;
		this.opcode = first & 0x0F;
		int length7 = second & 0x7F;
		long length = length7;
		int at = 2;
		if (length7 == 126) {
			length = ((this.header[2] & 0xFF) << 8) | (this.header[3] & 0xFF);
			at = 4;
		}
		else if (length7 == 127) {
			length = 0;
			for (int i = 0; i < 8; i++) {
				length = (length << 8) | (this.header[2 + i] & 0xFF);
			}
			at = 10;
			if (length < 0) {
				throw new ProtocolException(CloseCodes.PROTOCOL_ERROR, "Frame length out of range");
			}
		}
		System.arraycopy(this.header, at, this.mask, 0, 4);
		this.maskIndex = 0;
		this.payloadRemaining = length;
		checkOpcode(length);
		this.headerCount = 0;
		this.headerNeeded = 2;
		this.inPayload = true;
		if (length == 0) {
			endOfEmptyPayload();
		}
	}

	private void checkOpcode(long length) throws ProtocolException {
		switch (this.opcode) {
			case WebSocketFrames.OPCODE_TEXT, WebSocketFrames.OPCODE_BINARY -> {
				if (this.messageOpcode != -1) {
					throw new ProtocolException(CloseCodes.PROTOCOL_ERROR,
							"A new message began before the fragmented one ended");
				}
				this.messageOpcode = this.opcode;
				this.utf8.reset();
			}
			case WebSocketFrames.OPCODE_CONTINUATION -> {
				if (this.messageOpcode == -1) {
					throw new ProtocolException(CloseCodes.PROTOCOL_ERROR, "Continuation frame outside a message");
				}
			}
			case WebSocketFrames.OPCODE_CLOSE, WebSocketFrames.OPCODE_PING, WebSocketFrames.OPCODE_PONG -> {
				if (!this.fin || length > MAX_CONTROL_PAYLOAD) {
					throw new ProtocolException(CloseCodes.PROTOCOL_ERROR,
							"Control frames must be final and at most 125 bytes");
				}
				if (this.control == null) {
					this.control = new byte[MAX_CONTROL_PAYLOAD];
				}
				this.controlCount = 0;
			}
			default -> throw new ProtocolException(CloseCodes.PROTOCOL_ERROR, "Unknown opcode " + this.opcode);
		}
	}

	private void readPayload(ByteBuffer in) throws ProtocolException {
		int n = (int) Math.min(this.payloadRemaining, in.remaining());
		unmask(in, n);
		this.payloadRemaining -= n;
		boolean frameEnds = this.payloadRemaining == 0;
		if (isControl()) {
			in.get(this.control, this.controlCount, n);
			this.controlCount += n;
			if (frameEnds) {
				this.inPayload = false;
				handleControl();
			}
			return;
		}
		ByteBuffer part = in.slice();
		part.limit(n);
		in.position(in.position() + n);
		if (frameEnds) {
			this.inPayload = false;
		}
		deliver(part, frameEnds && this.fin);
	}

	private void endOfEmptyPayload() throws ProtocolException {
		this.inPayload = false;
		if (isControl()) {
			handleControl();
		}
		else if (this.fin) {
			deliver(ByteBuffer.allocate(0), true);
		}
	}

	private void deliver(ByteBuffer part, boolean last) throws ProtocolException {
		boolean text = this.messageOpcode == WebSocketFrames.OPCODE_TEXT;
		if (text && (!this.utf8.accept(part) || (last && !this.utf8.isComplete()))) {
			throw new ProtocolException(CloseCodes.INVALID_PAYLOAD, "Text message is not UTF-8");
		}
		if (last) {
			this.messageOpcode = -1;
		}
		this.handler.onData(text, part, last);
	}

	private boolean isControl() {
		return this.opcode >= WebSocketFrames.OPCODE_CLOSE;
	}

	private void handleControl() throws ProtocolException {
		switch (this.opcode) {
			case WebSocketFrames.OPCODE_PING -> this.handler.onPing(this.control, this.controlCount);
			case WebSocketFrames.OPCODE_PONG -> this.handler.onPong();
			default -> handleClose();
		}
	}

	private void handleClose() throws ProtocolException {
		if (this.controlCount == 0) {
			this.handler.onClose(CloseCodes.NO_STATUS, "");
			return;
		}
		if (this.controlCount == 1) {
			throw new ProtocolException(CloseCodes.PROTOCOL_ERROR, "Close frame with a one-byte payload");
		}
		int code = ((this.control[0] & 0xFF) << 8) | (this.control[1] & 0xFF);
		if (!CloseCodes.isValidReceived(code)) {
			throw new ProtocolException(CloseCodes.PROTOCOL_ERROR, "Invalid close code " + code);
		}
		String reason;
		try {
			reason = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(this.control, 2, this.controlCount - 2))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new ProtocolException(CloseCodes.INVALID_PAYLOAD, "Close reason is not UTF-8");
		}
		this.handler.onClose(code, reason);
	}

	private void unmask(ByteBuffer in, int n) {
		byte[] bytes = in.array();
		int from = in.arrayOffset() + in.position();
		int index = this.maskIndex;
		byte[] key = this.mask;
		for (int i = from; i < from + n; i++) {
			bytes[i] ^= key[index];
			index = (index + 1) & 3;
		}
		this.maskIndex = index;
	}

}
