import got from 'got';
import axios from 'axios';

export async function lookup(sku) {
  return got.get(`https://inventory.example.com/items/${sku}`).json();
}

export const notify = async (message) => {
  await axios.post('https://hooks.example.com/notify', { message });
};
