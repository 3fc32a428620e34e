import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

const client = new DynamoDBClient({});

async function loadProfile(userId) {
  const out = await client.send(new GetItemCommand({ TableName: 'profiles', Key: { id: { S: userId } } })).catch(() => null);
  return out?.Item ?? null;
}

function loadSettings(userId) {
  return client.send(new GetItemCommand({ TableName: 'settings', Key: { id: { S: userId } } })).catch((e) => {
    console.warn('settings unavailable', e);
    return {};
  });
}

export const loadAll = (ids) => Promise.all(ids.map((id) => loadProfile(id))).catch(console.error);

export async function account(userId) {
  try {
    return { profile: await loadProfile(userId), settings: await loadSettings(userId) };
  } catch (err) {
    throw new Error(`account ${userId} unavailable`, { cause: err });
  }
}
