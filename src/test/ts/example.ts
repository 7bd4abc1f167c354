// An app using the browser client with a join ticket, type-checked against roomkeeper.d.ts.
import { Roomkeeper, RoomConnection, RoomkeeperError, STATUS, type Room } from '../../main/resources/static/js/roomkeeper.js';

async function play(ticketFromMyBackend: string): Promise<void> {
  const rk = new Roomkeeper({ baseUrl: 'https://rooms.example.com' });
  const joined = await rk.joinRoom('K7QX2M', { ticket: ticketFromMyBackend });
  const userId: string | null = joined.member.userId;
  const room: Room = joined.room;
  const policy: 'open' | 'ticket' = room.joinPolicy;
  const whoSets = room.permissions.state;

  const live: RoomConnection = rk.connect('K7QX2M', { ticket: ticketFromMyBackend, keepAlive: 'visible' });
  live.on('state', (event) => console.log(event.version));
  live.on('ended', () => console.log(live.endReason));
  if (live.status === STATUS.CONNECTED) {
    live.setState({ turn: 'ann' }, { baseVersion: 3 });
    live.broadcast({ text: 'hi' });
  }
  try {
    await rk.joinRoom('K7QX2M', { name: 'Ann', password: 'secret' });
  } catch (error) {
    if (error instanceof RoomkeeperError && error.code === 'ticket-required') {
      console.log(error.detail, userId, policy, whoSets);
    }
  }

  // The declarations are strict enough to catch mistakes:
  // @ts-expect-error a ticket is a string
  await rk.joinRoom('K7QX2M', { ticket: 42 });
  // @ts-expect-error joining without a ticket needs a name
  await rk.joinRoom('K7QX2M', { password: 'x' });
  // @ts-expect-error not a permission level
  const level: typeof room.permissions.broadcast = 'anyone';
  // @ts-expect-error the state is a JSON object
  live.setState('not an object');
  console.log(level);
}

void play;
