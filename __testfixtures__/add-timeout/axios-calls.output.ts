import axios, { AxiosRequestConfig } from 'axios';

interface User {
  id: string;
}

const api = axios.create({ baseURL: 'https://api.example.com', timeout: 6000 });
const bare = axios.create({ timeout: 6000 });

export async function getUser(id: string): Promise<User> {
  const res = await axios.get<User>(`https://users.example.com/${id}`, { timeout: 6000 });
  return res.data;
}

export async function saveUser(user: User, config: AxiosRequestConfig) {
  await axios.post('https://users.example.com', user, { timeout: 6000 });
  await axios.put('https://users.example.com', user, { headers: { 'x-id': user.id }, timeout: 6000 });
  await axios.patch('https://users.example.com', user, config);
  await axios.delete(`https://users.example.com/${user.id}`, { timeout: 6000 });
  await axios({ method: 'post', url: 'https://users.example.com', data: user, timeout: 6000 });
  await axios.request({
    method: 'get',
    url: 'https://users.example.com',
    timeout: 6000,
  });
  await api.get(`/users/${user.id}`);
  await bare.head('/ping');
}

export function isNotFound(err: unknown): boolean {
  return axios.isAxiosError(err) && err.response?.status === 404;
}
