import axios from 'axios';

export async function handler(): Promise<{ statusCode: number }> {
  await axios.get('https://api.example.com/ping');
  return { statusCode: 200 };
}
